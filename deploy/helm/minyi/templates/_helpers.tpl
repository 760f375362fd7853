{{- define "minyi.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "minyi.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "minyi.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "minyi.configSecret" -}}
{{- default (printf "%s-config" (include "minyi.fullname" .)) .Values.existingSecret -}}
{{- end -}}

{{/* One pod spec for both roles: .component is api or worker. */}}
{{- define "minyi.pod" -}}
{{- $v := .root.Values -}}
metadata:
  labels:
    {{- include "minyi.selector" . | nindent 4 }}
  annotations:
    checksum/config: {{ toYaml $v.config | sha256sum }}
    {{- if $v.metrics.scrape }}
    prometheus.io/scrape: "true"
    prometheus.io/port: "9464"
    prometheus.io/path: /metrics
    {{- end }}
spec:
  securityContext:
    {{- toYaml $v.podSecurityContext | nindent 4 }}
  containers:
    - name: minyi
      image: "{{ $v.image.repository }}:{{ default .root.Chart.AppVersion $v.image.tag }}"
      imagePullPolicy: {{ $v.image.pullPolicy }}
      args: [serve, --config, /etc/minyi/city.yaml, --role, {{ .component }}]
      ports:
        - {name: http, containerPort: 8080}
      # Liveness is the process alone; readiness also needs Temporal, the
      # store and (where held) the index, so an unreachable database takes
      # the pod out of the Service instead of restarting it.
      livenessProbe:
        httpGet: {path: /healthz, port: http}
        periodSeconds: 10
        failureThreshold: 6
      readinessProbe:
        httpGet: {path: /readyz, port: http}
        periodSeconds: 5
        failureThreshold: 3
      startupProbe:
        httpGet: {path: /healthz, port: http}
        periodSeconds: 5
        failureThreshold: 60
      resources:
        {{- toYaml .resources | nindent 8 }}
      securityContext:
        {{- toYaml $v.securityContext | nindent 8 }}
      volumeMounts:
        - {name: config, mountPath: /etc/minyi, readOnly: true}
        - {name: data, mountPath: {{ $v.config.data_dir }}}
        - {name: tmp, mountPath: /tmp}
  volumes:
    - name: config
      secret: {secretName: {{ include "minyi.configSecret" .root }}}
    - name: tmp
      emptyDir: {}
    - name: data
      {{- if and (eq .component "api") $v.api.persistence.enabled }}
      persistentVolumeClaim: {claimName: {{ include "minyi.fullname" .root }}-data}
      {{- else }}
      emptyDir: {}
      {{- end }}
{{- end -}}
