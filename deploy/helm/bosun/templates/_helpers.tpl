{{/* Release-scoped name, at most 63 characters. */}}
{{- define "bosun.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Name of one app's objects: <fullname>-<app>. Call with (dict "root" $ "app" $name). */}}
{{- define "bosun.appName" -}}
{{- printf "%s-%s" (include "bosun.fullname" .root) .app | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "bosun.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: bosun
{{- end -}}

{{/* Selector labels of one app. Call with (dict "root" $ "app" $name). */}}
{{- define "bosun.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .app }}
{{- end -}}

{{- define "bosun.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "bosun.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "bosun.secretName" -}}
{{- default (printf "%s-secrets" (include "bosun.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* Image of one app. Call with (dict "root" $ "app" $name). */}}
{{- define "bosun.image" -}}
{{- $image := .root.Values.image -}}
{{- printf "%s/%s:%s" (trimSuffix "/" $image.repository) .app (default .root.Chart.AppVersion $image.tag | toString) -}}
{{- end -}}
