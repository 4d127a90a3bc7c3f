{{/*
Pulling the chart's image from a registry that needs credentials. With imageCredentials.registry,
username and password set, the chart renders an image pull Secret (<fullname>-registry, type
kubernetes.io/dockerconfigjson) and its pods use it besides the names in imagePullSecrets. The
pipeline passes the credentials in its 0600 values file (REGISTRY_USERNAME/REGISTRY_PASSWORD),
never on a command line. A chart's templates/registry-secret.yaml is the one line that includes
the Secret; its pod specs include todo-common.imagePullSecrets.
*/}}

{{/* True when the chart creates its own image pull Secret. */}}
{{- define "todo-common.createsPullSecret" -}}
{{- with .Values.imageCredentials }}{{ if and .registry .username .password }}true{{ end }}{{ end }}
{{- end }}

{{- define "todo-common.pullSecretName" -}}
{{- printf "%s-registry" (include "todo-common.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "todo-common.imagePullSecret" -}}
{{- if include "todo-common.createsPullSecret" . }}
{{- $c := .Values.imageCredentials }}
{{- $auth := dict "username" $c.username "password" $c.password "auth" (printf "%s:%s" $c.username $c.password | b64enc) }}
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "todo-common.pullSecretName" . }}
  labels:
    {{- include "todo-common.labels" . | nindent 4 }}
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: {{ dict "auths" (dict $c.registry $auth) | toJson | b64enc | quote }}
{{- end }}
{{- end }}

{{/* The pod spec's imagePullSecrets: the names in imagePullSecrets, then the chart's own Secret. */}}
{{- define "todo-common.imagePullSecrets" -}}
{{- $names := list }}
{{- range .Values.imagePullSecrets }}{{ $names = append $names .name }}{{ end }}
{{- if include "todo-common.createsPullSecret" . }}{{ $names = append $names (include "todo-common.pullSecretName" .) }}{{ end }}
{{- if $names -}}
imagePullSecrets:
{{- range $names }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end }}
