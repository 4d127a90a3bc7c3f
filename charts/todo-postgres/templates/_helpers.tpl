{{/*
Names, labels and shared snippets of the todo-postgres chart.
*/}}

{{/* Chart name, overridable. */}}
{{- define "todo-postgres.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name, truncated to 63 characters (DNS label limit).
The release name is used alone when it already contains the chart name.
*/}}
{{- define "todo-postgres.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Chart label value. */}}
{{- define "todo-postgres.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels: never change across upgrades. */}}
{{- define "todo-postgres.selectorLabels" -}}
app.kubernetes.io/name: {{ include "todo-postgres.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Common labels. */}}
{{- define "todo-postgres.labels" -}}
helm.sh/chart: {{ include "todo-postgres.chart" . }}
{{ include "todo-postgres.selectorLabels" . }}
app.kubernetes.io/version: {{ include "todo-postgres.imageTag" . | quote }}
app.kubernetes.io/component: database
app.kubernetes.io/part-of: todo-chatbot
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Image tag: image.tag, else the chart's appVersion; never empty, never "latest". */}}
{{- define "todo-postgres.imageTag" -}}
{{- $tag := toString (.Values.image.tag | default .Chart.AppVersion) }}
{{- if or (empty $tag) (eq $tag "latest") }}
{{- fail "image.tag must be a pinned tag (e.g. 17-bookworm); empty and \"latest\" are not allowed" }}
{{- end }}
{{- $tag }}
{{- end }}

{{/* Full image reference. */}}
{{- define "todo-postgres.image" -}}
{{- printf "%s:%s" .Values.image.repository (include "todo-postgres.imageTag" .) }}
{{- end }}

{{/* Pod security context. */}}
{{- define "todo-postgres.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext }}
{{- end }}

{{/* Container security context. */}}
{{- define "todo-postgres.containerSecurityContext" -}}
{{- toYaml .Values.containerSecurityContext }}
{{- end }}

{{/* Secret holding the password. */}}
{{- define "todo-postgres.secretName" -}}
{{- .Values.auth.existingSecret | default (include "todo-postgres.fullname" .) }}
{{- end }}

{{/* Key of the password in that Secret. */}}
{{- define "todo-postgres.secretKey" -}}
{{- if .Values.auth.existingSecret }}{{ .Values.auth.existingSecretKey }}{{ else }}password{{ end }}
{{- end }}

{{/* Headless Service name (StatefulSet serviceName). */}}
{{- define "todo-postgres.headlessName" -}}
{{- printf "%s-headless" (include "todo-postgres.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
