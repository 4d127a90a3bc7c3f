{{/*
Helpers of the todo-postgres chart. Names, labels, the image and the security contexts come from
the todo-common library chart (charts/todo-common); what is below is this chart's own.
*/}}

{{/* app.kubernetes.io/component of everything this chart renders (read by todo-common.labels). */}}
{{- define "todo-postgres.component" -}}database{{- end }}

{{/* Secret holding the password. */}}
{{- define "todo-postgres.secretName" -}}
{{- .Values.auth.existingSecret | default (include "todo-common.fullname" .) }}
{{- end }}

{{/* Key of the password in that Secret. */}}
{{- define "todo-postgres.secretKey" -}}
{{- if .Values.auth.existingSecret }}{{ .Values.auth.existingSecretKey }}{{ else }}password{{ end }}
{{- end }}

{{/* Headless Service name (StatefulSet serviceName). */}}
{{- define "todo-postgres.headlessName" -}}
{{- printf "%s-headless" (include "todo-common.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
