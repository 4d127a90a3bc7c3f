{{/*
Names, labels and shared snippets of the todo-frontend chart.
*/}}

{{/* Chart name, overridable. */}}
{{- define "todo-frontend.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name, truncated to 63 characters (DNS label limit).
The release name is used alone when it already contains the chart name.
*/}}
{{- define "todo-frontend.fullname" -}}
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
{{- define "todo-frontend.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels: never change across upgrades. */}}
{{- define "todo-frontend.selectorLabels" -}}
app.kubernetes.io/name: {{ include "todo-frontend.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Common labels. */}}
{{- define "todo-frontend.labels" -}}
helm.sh/chart: {{ include "todo-frontend.chart" . }}
{{ include "todo-frontend.selectorLabels" . }}
app.kubernetes.io/version: {{ include "todo-frontend.imageTag" . | quote }}
app.kubernetes.io/component: frontend
app.kubernetes.io/part-of: todo-chatbot
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Image tag: image.tag, else the chart's appVersion; never empty, never "latest". */}}
{{- define "todo-frontend.imageTag" -}}
{{- $tag := toString (.Values.image.tag | default .Chart.AppVersion) }}
{{- if or (empty $tag) (eq $tag "latest") }}
{{- fail "image.tag must be a pinned tag (the pipeline passes the image's content hash); empty and \"latest\" are not allowed" }}
{{- end }}
{{- $tag }}
{{- end }}

{{/* Full image reference. */}}
{{- define "todo-frontend.image" -}}
{{- printf "%s:%s" .Values.image.repository (include "todo-frontend.imageTag" .) }}
{{- end }}

{{/* Pod security context. */}}
{{- define "todo-frontend.podSecurityContext" -}}
{{- toYaml .Values.podSecurityContext }}
{{- end }}

{{/* Container security context. */}}
{{- define "todo-frontend.containerSecurityContext" -}}
{{- toYaml .Values.containerSecurityContext }}
{{- end }}
