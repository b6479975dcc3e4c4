{{/* Names, labels and the pieces every EkTola pod shares. */}}

{{- define "ektola.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ektola.fullname" -}}
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

{{/* Name of one component's objects: (dict "root" $ "component" "campaign") */}}
{{- define "ektola.componentName" -}}
{{- printf "%s-%s" (include "ektola.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ektola.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "ektola.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ektola
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* (dict "root" $ "component" "campaign") */}}
{{- define "ektola.componentLabels" -}}
{{ include "ektola.labels" .root }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* (dict "root" $ "component" "campaign") */}}
{{- define "ektola.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ektola.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "ektola.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ektola.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* (dict "root" $ "image" .Values.campaign.image "service" "campaign-service") */}}
{{- define "ektola.image" -}}
{{- $repository := .image.repository | default (printf "%s/%s" .root.Values.image.prefix .service) }}
{{- if .image.digest }}
{{- printf "%s@%s" $repository .image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (.image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* The Secret holding the WhatsApp credentials and the admin key. */}}
{{- define "ektola.credentialsSecretName" -}}
{{- .Values.existingSecret | default (include "ektola.fullname" .) }}
{{- end }}

{{/* True (non-empty) when the release's own Secret has anything to hold. */}}
{{- define "ektola.ownSecretNeeded" -}}
{{- if or (not .Values.existingSecret) .Values.database.url }}true{{ end }}
{{- end }}

{{- define "ektola.databaseUrlEnv" -}}
{{- if .Values.database.url }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "ektola.fullname" . }}
      key: DATABASE_URL
{{- else if .Values.database.existingSecret.name }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.existingSecret.name }}
      key: {{ .Values.database.existingSecret.key }}
{{- else }}
{{- fail "database: set database.url or database.existingSecret.name (a Secret holding the PostgreSQL URL, e.g. CloudNativePG's <cluster>-app with key uri)" }}
{{- end }}
{{- end }}

{{- define "ektola.natsUrlEnv" -}}
{{- if .Values.nats.existingSecret.name }}
- name: NATS_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.nats.existingSecret.name }}
      key: {{ .Values.nats.existingSecret.key }}
{{- end }}
{{- end }}

{{/* (dict "root" $ "key" "WHATSAPP_APP_SECRET" "optional" false) */}}
{{- define "ektola.credentialEnv" -}}
- name: {{ .key }}
  valueFrom:
    secretKeyRef:
      name: {{ include "ektola.credentialsSecretName" .root }}
      key: {{ .key }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}

{{/*
A service's gRPC tokens from the credentials Secret: its own as GRPC_TOKEN and, for a server, the
tokens of the callers it accepts: (dict "root" $ "own" "campaign" "accepts" (list "scheduler" "dispatcher"))
*/}}
{{- define "ektola.grpcTokenEnv" -}}
- name: GRPC_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "ektola.credentialsSecretName" .root }}
      key: {{ printf "GRPC_%s_TOKEN" (upper .own) }}
{{- range .accepts }}
{{ include "ektola.credentialEnv" (dict "root" $.root "key" (printf "GRPC_%s_TOKEN" (upper .)) "optional" false) }}
{{- end }}
{{- end }}

{{/* The service's NATS user, when nats.users is on: (dict "root" $ "service" "campaign-service") */}}
{{- define "ektola.natsUserEnv" -}}
{{- if .root.Values.nats.users.enabled }}
- name: NATS_USER
  value: {{ .service }}
- name: NATS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.nats.users.existingSecret }}
      key: {{ .service }}
{{- end }}
{{- end }}

{{/* The paths the Ingress or HTTPRoute send to the campaign-service: the API, and /docs when published. */}}
{{- define "ektola.apiPaths" -}}
{{- $paths := .Values.expose.apiPaths -}}
{{- if and .Values.expose.docs (not (has "/docs" $paths)) }}{{ $paths = append $paths "/docs" }}{{ end -}}
{{- toJson $paths -}}
{{- end }}

{{/*
The operator console's paths on the public host when expose.console is on, as [path, Exact|Prefix]
pairs: its page, its hashed assets and its client routes (so a reload of /campaigns/… reaches it),
never "/" as a prefix, so the ops routes (/metrics, /readyz, /healthz) stay unrouted.
*/}}
{{- define "ektola.consolePaths" -}}
{{- $paths := list -}}
{{- if .Values.expose.console }}
{{- $paths = list (list "/" "Exact") (list "/favicon.svg" "Exact") (list "/assets" "Prefix") -}}
{{- range list "/campaigns" "/runs" "/contacts" "/templates" "/settings" }}{{ $paths = append $paths (list . "Prefix") }}{{ end -}}
{{- end }}
{{- toJson $paths -}}
{{- end }}

{{/* A map of plain environment variables as a container env list, in key order. */}}
{{- define "ektola.envList" -}}
{{- range $name := keys . | sortAlpha }}
- name: {{ $name }}
  value: {{ index $ $name | toString | quote }}
{{- end }}
{{- end }}

{{/* Pod-level settings every EkTola pod shares: (dict "root" $ "values" .Values.campaign) */}}
{{- define "ektola.podCommon" -}}
serviceAccountName: {{ .serviceAccountName | default (include "ektola.serviceAccountName" .root) }}
automountServiceAccountToken: false
enableServiceLinks: false
securityContext:
  {{- toYaml .root.Values.podSecurityContext | nindent 2 }}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Spread a Deployment's pods over zones and nodes unless the values replace it. */}}
{{- define "ektola.topologySpread" -}}
{{- if .values.topologySpreadConstraints }}
{{- toYaml .values.topologySpreadConstraints }}
{{- else }}
{{- range $key := list "topology.kubernetes.io/zone" "kubernetes.io/hostname" }}
- maxSkew: 1
  topologyKey: {{ $key }}
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
      {{- include "ektola.selectorLabels" $ | nindent 6 }}
  matchLabelKeys: ["pod-template-hash"]
{{- end }}
{{- end }}
{{- end }}

{{/* The writable /tmp a read-only root filesystem still needs; a component may ask for more room (`tmpSizeLimit`). */}}
{{- define "ektola.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .tmpSizeLimit | default "64Mi" }}
{{- end }}

{{- define "ektola.tmpVolumeMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{/* A generated secret value kept across upgrades: (dict "root" $ "key" "…" "value" "…") */}}
{{- define "ektola.stableSecretValue" -}}
{{- if .value }}
{{- .value }}
{{- else }}
{{- $existing := lookup "v1" "Secret" .root.Release.Namespace (include "ektola.fullname" .root) }}
{{- if and $existing (hasKey ($existing.data | default dict) .key) }}
{{- index $existing.data .key | b64dec }}
{{- else }}
{{- randAlphaNum 40 }}
{{- end }}
{{- end }}
{{- end }}

{{/* Addresses the services reach each other's gRPC servers at. */}}
{{- define "ektola.campaignGrpcAddress" -}}
{{- printf "%s:%v" (include "ektola.componentName" (dict "root" . "component" "campaign")) .Values.campaign.grpcPort }}
{{- end }}

{{- define "ektola.dispatcherGrpcAddress" -}}
{{- printf "%s:%v" (include "ektola.componentName" (dict "root" . "component" "dispatcher")) .Values.dispatcher.grpcPort }}
{{- end }}

{{- define "ektola.callbackGrpcAddress" -}}
{{- printf "%s:%v" (include "ektola.componentName" (dict "root" . "component" "callback")) .Values.callback.grpcPort }}
{{- end }}

{{- define "ektola.whatsappApiBaseUrl" -}}
{{- if .Values.whatsapp.apiBaseUrl }}
{{- .Values.whatsapp.apiBaseUrl }}
{{- else if .Values.simulator.enabled }}
{{- printf "http://%s:%v/v23.0" (include "ektola.componentName" (dict "root" . "component" "whatsapp-simulator")) .Values.simulator.port }}
{{- end }}
{{- end }}
