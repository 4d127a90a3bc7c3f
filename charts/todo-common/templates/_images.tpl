{{/* Image tag: image.tag, else the chart's appVersion; never empty, never "latest". */}}
{{- define "todo-common.imageTag" -}}
{{- $tag := toString (.Values.image.tag | default .Chart.AppVersion) }}
{{- if or (empty $tag) (eq $tag "latest") }}
{{- fail "image.tag must be a pinned tag (a version such as 17-bookworm, or the content hash the pipeline passes for an app image); empty and \"latest\" are not allowed" }}
{{- end }}
{{- $tag }}
{{- end }}

{{/* Full image reference: image.repository:tag. */}}
{{- define "todo-common.image" -}}
{{- printf "%s:%s" .Values.image.repository (include "todo-common.imageTag" .) }}
{{- end }}
