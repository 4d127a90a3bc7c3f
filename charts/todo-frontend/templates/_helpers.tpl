{{/*
Helpers of the todo-frontend chart. Names, labels, the image and the security contexts come from
the todo-common library chart (charts/todo-common); what is below is this chart's own.
*/}}

{{/* app.kubernetes.io/component of everything this chart renders (read by todo-common.labels). */}}
{{- define "todo-frontend.component" -}}frontend{{- end }}
