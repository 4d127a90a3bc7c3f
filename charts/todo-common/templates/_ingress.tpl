{{/*
Ingress to the chart's Service (port name http), when ingress.enabled: one host and path, TLS from
ingress.tls.secretName or <fullname>-tls. A chart's templates/ingress.yaml is the one line that
includes it.
*/}}
{{- define "todo-common.ingress" -}}
{{- if .Values.ingress.enabled }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ include "todo-common.fullname" . }}
  labels:
    {{- include "todo-common.labels" . | nindent 4 }}
  {{- with .Values.ingress.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with .Values.ingress.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- if .Values.ingress.tls.enabled }}
  tls:
    - hosts:
        - {{ .Values.ingress.host | quote }}
      secretName: {{ .Values.ingress.tls.secretName | default (printf "%s-tls" (include "todo-common.fullname" .)) }}
  {{- end }}
  rules:
    - host: {{ .Values.ingress.host | quote }}
      http:
        paths:
          - path: {{ .Values.ingress.path }}
            pathType: {{ .Values.ingress.pathType }}
            backend:
              service:
                name: {{ include "todo-common.fullname" . }}
                port:
                  name: http
{{- end }}
{{- end }}
