# syntax=docker/dockerfile:1
# wharf itself, as a static binary in an empty image.
FROM rust:1.88-alpine AS build
RUN apk add --no-cache musl-dev=1.2.5-r10
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src/ src/
COPY rules/ rules/
COPY tests/ tests/
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked && cp target/release/wharf /wharf

FROM scratch
COPY --from=build /wharf /wharf
USER 65532:65532
HEALTHCHECK NONE
ENTRYPOINT ["/wharf"]
CMD ["check", "/work"]
