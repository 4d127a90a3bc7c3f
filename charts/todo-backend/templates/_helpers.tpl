{{/*
Names, labels and shared snippets of the todo-backend chart.
*/}}

{{/* Chart name, overridable. */}}
{{- define "todo-backend.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name, truncated to 63 characters (DNS label limit).
The release name is used alone when it already contains the chart name.
*/}}
{{- define "todo-backend.fullname" -}}
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
{{- define "todo-backend.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels: never change across upgrades. */}}
{{- define "todo-backend.selectorLabels" -}}
app.kubernetes.io/name: {{ include "todo-backend.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Common labels. */}}
{{- define "todo-backend.labels" -}}
helm.sh/chart: {{ include "todo-backend.chart" . }}
{{ include "todo-backend.selectorLabels" . }}
app.kubernetes.io/version: {{ include "todo-backend.imageTag" . | quote }}
app.kubernetes.io/component: api
app.kubernetes.io/part-of: todo-chatbot
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Image tag: image.tag, else the chart's appVersion; never empty, never "latest". */}}
{{- define "todo-backend.imageTag" -}}
{{- $tag := toString (.Values.image.tag | default .Chart.AppVersion) }}
{{- if or (empty $tag) (eq $tag "latest") }}
{{- fail "image.tag must be a pinned tag (the pipeline passes the image's content hash); empty and \"latest\" are not allowed" }}
{{- end }}
{{- $tag }}
{{- end }}

{{/* Full image reference. */}}
{{- define "todo-backend.image" -}}
{{- printf "%s:%s" .Values.image.repository (include "todo-backend.imageTag" .) }}
{{- end }}

{{/* Secret holding BETTER_AUTH_SECRET. */}}
{{- define "todo-backend.authSecretName" -}}
{{- .Values.auth.existingSecret | default (include "todo-backend.fullname" .) }}
{{- end }}

{{/* True when DATABASE_URL comes from a Secret (external database). */}}
{{- define "todo-backend.externalDatabase" -}}
{{- if or .Values.database.existingSecret .Values.database.url }}true{{ end }}
{{- end }}

{{/* Secret holding DATABASE_URL. */}}
{{- define "todo-backend.databaseSecretName" -}}
{{- .Values.database.existingSecret | default (include "todo-backend.fullname" .) }}
{{- end }}

{{/* True when OPENAI_API_KEY comes from a Secret. */}}
{{- define "todo-backend.openaiEnabled" -}}
{{- if or .Values.openai.existingSecret .Values.openai.apiKey }}true{{ end }}
{{- end }}

{{/* Secret holding OPENAI_API_KEY. */}}
{{- define "todo-backend.openaiSecretName" -}}
{{- .Values.openai.existingSecret | default (include "todo-backend.fullname" .) }}
{{- end }}

{{/* True when this chart renders its own Secret. */}}
{{- define "todo-backend.createSecret" -}}
{{- if or (not .Values.auth.existingSecret) (and .Values.database.url (not .Values.database.existingSecret)) (and .Values.openai.apiKey (not .Values.openai.existingSecret)) }}true{{ end }}
{{- end }}

{{/* Pod security context. */}}
{{- define "todo-backend.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext }}
{{- end }}

{{/* Container security context. */}}
{{- define "todo-backend.containerSecurityContext" -}}
{{- toYaml .Values.containerSecurityContext }}
{{- end }}
