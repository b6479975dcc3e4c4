{{/*
One long-running EkTola process: its Deployment and Service. Called with a dict:
  root       the chart's context ($)
  component  short name, e.g. campaign (object names, labels)
  service    the process, e.g. campaign-service (image name)
  workspace  its folder in the image, e.g. services/campaign-service
  values     the component's values
  ports      list of (dict "name" "http" "port" 8080 "env" "PORT"); the one named http serves the probes
  readyPath, livePath  probe paths when not /readyz and /healthz
  env        extra container env entries, already rendered as a YAML list
*/}}
{{- define "ektola.deployment" -}}
{{- $root := .root -}}
{{- $values := .values -}}
{{- $scope := dict "root" $root "component" .component "values" $values -}}
{{- $name := include "ektola.componentName" $scope -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "ektola.componentLabels" $scope | nindent 4 }}
spec:
  {{- if not (and $values.autoscaling $values.autoscaling.enabled) }}
  replicas: {{ $values.replicas | default 1 }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  selector:
    matchLabels:
      {{- include "ektola.selectorLabels" $scope | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "ektola.componentLabels" $scope | nindent 8 }}
        {{- with $values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
        checksum/secret: {{ include (print $root.Template.BasePath "/secret.yaml") $root | sha256sum }}
        {{- with $values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      {{- include "ektola.podCommon" $scope | nindent 6 }}
      terminationGracePeriodSeconds: {{ $values.terminationGracePeriodSeconds | default 30 }}
      {{- if $values.replicas }}
      topologySpreadConstraints:
        {{- include "ektola.topologySpread" $scope | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .service }}
          image: {{ include "ektola.image" (dict "root" $root "image" $values.image "service" .service) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          # nodeFlags: V8 options Node takes on its command line only (deploy/local/stack.ts says why).
          args:
            - node
            {{- range ($values.nodeFlags | default list) }}
            - {{ . | quote }}
            {{- end }}
            - {{ printf "%s/src/main.ts" .workspace | quote }}
          ports:
            {{- range .ports }}
            - name: {{ .name }}
              containerPort: {{ .port }}
              protocol: TCP
            {{- end }}
          envFrom:
            - configMapRef:
                name: {{ include "ektola.fullname" $root }}
          env:
            {{- range .ports }}
            - name: {{ .env }}
              value: {{ .port | quote }}
            {{- end }}
            {{- with .env }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- include "ektola.envList" ($values.env | default dict) | nindent 12 }}
          startupProbe:
            httpGet:
              path: {{ .livePath | default "/healthz" }}
              port: http
            {{- with $values.startupProbe }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          readinessProbe:
            httpGet:
              path: {{ .readyPath | default "/readyz" }}
              port: http
            {{- with $values.readinessProbe }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          livenessProbe:
            httpGet:
              path: {{ .livePath | default "/healthz" }}
              port: http
            {{- with $values.livenessProbe }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- if $values.preStopSleepSeconds }}
          lifecycle:
            preStop:
              exec:
                command: ["sleep", "{{ $values.preStopSleepSeconds }}"]
          {{- end }}
          resources:
            {{- toYaml $values.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.securityContext | nindent 12 }}
          volumeMounts:
            {{- include "ektola.tmpVolumeMount" $root | nindent 12 }}
      volumes:
        {{- include "ektola.tmpVolume" $values | nindent 8 }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  namespace: {{ $root.Release.Namespace }}
  labels:
    {{- include "ektola.componentLabels" $scope | nindent 4 }}
  {{- with ($values.service | default dict).annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ ($values.service | default dict).type | default "ClusterIP" }}
  selector:
    {{- include "ektola.selectorLabels" $scope | nindent 4 }}
  ports:
    {{- range .ports }}
    - name: {{ .name }}
      port: {{ .port }}
      targetPort: {{ .name }}
      protocol: TCP
      appProtocol: {{ eq .name "grpc" | ternary "kubernetes.io/h2c" "http" }}
    {{- end }}
{{- end }}
