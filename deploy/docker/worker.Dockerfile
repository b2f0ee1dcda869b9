# cortex-worker: the background job runner. Build context: the repository root.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish core-server/Cortex.Worker -c Release -o /app -nologo

FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
USER app
ENTRYPOINT ["./cortex-worker"]
