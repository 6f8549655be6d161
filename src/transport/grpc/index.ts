// gRPC transport: the agent's server, the controller's connector to agents, and the pieces the controller service reuses.
export { startAgentGrpcServer, type AgentEndpoint, type AgentGrpcServerOptions } from "./agent-server.ts";
export { agentInfo, createGrpcAgentConnector, type AgentClientOptions, type GrpcAgentConnectorOptions } from "./agent-client.ts";
export { AUTH_HEADER, checkToken, clientTokenInterceptor, serverTokenInterceptor } from "./auth.ts";
export { CLIENT_CHANNEL_OPTIONS, SERVER_OPTIONS, describeStatus } from "./channel.ts";
export * from "./codec.ts";
export { clientChannel, serverCredentials, type ClientChannelSecurity, type ClientTlsOptions, type Pem, type ServerTlsOptions } from "./credentials.ts";
export { assertSafeListen, hostOf, isLoopbackAddress, normalizeListenAddress, type ListenSafety } from "./listen.ts";
export { listen, type GrpcServerHandle, type StopOptions } from "./serve.ts";
export { startControllerGrpcServer, type AgentStatusData, type ControllerBackend, type ControllerGrpcServerOptions } from "./controller-server.ts";
export * from "./controller-codec.ts";
export { clientError, createControllerClient, type ControllerApiClient, type ControllerClientOptions, type RemoteRun } from "./controller-client.ts";
