# Tests only: a stand-in for the official `nginxinc/nginx-unprivileged` image (the gateway's base in
# production), made from Debian's nginx on the local Debian base (deploy/images/base.sh), for
# machines that cannot pull from a registry. It keeps the part of the official image's contract
# that deploy/gateway/Dockerfile uses: /etc/nginx/nginx.conf with a `worker_processes` line and
# conf.d/default.conf, pid and temp files in /tmp, uid 101, /etc/nginx/templates/*.template
# rendered into /etc/nginx/conf.d/ by envsubst at start (only the variables NGINX_ENVSUBST_FILTER
# matches), logs on stdout/stderr, wget for the health check.
ARG BASE_IMAGE=kinerja-local/debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light gettext-base wget >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /usr/share/doc/* /usr/share/man/* \
 && echo 'nginx:x:101:' >> /etc/group \
 && echo 'nginx:x:101:101:nginx:/nonexistent:/usr/sbin/nologin' >> /etc/passwd \
 && rm -rf /etc/nginx/sites-enabled /etc/nginx/sites-available \
 && mkdir -p /etc/nginx/templates /etc/nginx/conf.d \
 && echo 'server { listen 8080; location / { return 200; } }' > /etc/nginx/conf.d/default.conf \
 && chown -R 101:101 /etc/nginx/conf.d
COPY nginx.conf /etc/nginx/nginx.conf
COPY nginx-entrypoint.sh /docker-entrypoint.sh
USER 101
STOPSIGNAL SIGQUIT
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["nginx", "-e", "stderr", "-g", "daemon off;"]
