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

{{/* One app's own ServiceAccount. Call with (dict "root" $ "app" $name). */}}
{{- define "bosun.serviceAccountName" -}}
{{- $app := get .root.Values.apps .app -}}
{{- if .root.Values.serviceAccount.create -}}
{{- default (include "bosun.appName" .) $app.serviceAccountName -}}
{{- else -}}
{{- required (printf "apps.%s.serviceAccountName is required when serviceAccount.create is false" .app) $app.serviceAccountName -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding one NATS principal's seed. Call with (dict "root" $ "principal" $p). */}}
{{- define "bosun.natsSeedSecret" -}}
{{- $seed := get .root.Values.nats.auth.seeds .principal | default dict -}}
{{- default (printf "%s-nats-%s" (include "bosun.fullname" .root) .principal) $seed.secretName -}}
{{- end -}}

{{- define "bosun.secretName" -}}
{{- default (printf "%s-secrets" (include "bosun.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* Image of one app. Call with (dict "root" $ "app" $name). */}}
{{- define "bosun.image" -}}
{{- $image := .root.Values.image -}}
{{- printf "%s/%s:%s" (trimSuffix "/" $image.repository) .app (default .root.Chart.AppVersion $image.tag | toString) -}}
{{- end -}}

{{/* Impersonation of the asker (users, groups; never serviceaccounts), for every
     service that acts as the subject who asked. */}}
{{- define "bosun.impersonationRules" -}}
- apiGroups: [""]
  resources: [users]
  verbs: [impersonate]
  {{- with .Values.rbac.impersonation.users }}
  resourceNames: {{ toJson . }}
  {{- end }}
- apiGroups: [""]
  resources: [groups]
  verbs: [impersonate]
  {{- with .Values.rbac.impersonation.groups }}
  resourceNames: {{ toJson . }}
  {{- end }}
{{- end -}}

{{/* metadata + roleRef + subjects binding one app's ServiceAccount to its role.
     Call with (dict "root" $ "app" $name "kind" "ClusterRole"|"Role" "name" $role "namespace" $ns). */}}
{{- define "bosun.binding" -}}
apiVersion: rbac.authorization.k8s.io/v1
kind: {{ .kind }}Binding
metadata:
  name: {{ .name }}
  {{- with .namespace }}
  namespace: {{ . }}
  {{- end }}
  labels:
    {{- include "bosun.labels" .root | nindent 4 }}
    app.kubernetes.io/component: {{ .app }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: {{ .kind }}
  name: {{ .name }}
subjects:
  - kind: ServiceAccount
    name: {{ include "bosun.serviceAccountName" (dict "root" .root "app" .app) }}
    namespace: {{ .root.Release.Namespace }}
{{- end -}}

{{/* metadata of one app's Role or ClusterRole. Call like bosun.binding. */}}
{{- define "bosun.roleMeta" -}}
apiVersion: rbac.authorization.k8s.io/v1
kind: {{ .kind }}
metadata:
  name: {{ .name }}
  {{- with .namespace }}
  namespace: {{ . }}
  {{- end }}
  labels:
    {{- include "bosun.labels" .root | nindent 4 }}
    app.kubernetes.io/component: {{ .app }}
{{- end -}}
