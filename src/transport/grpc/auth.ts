// The shared token: clients send it as `authorization: Bearer <token>`; servers check it on every call.
import { nodeCrypto } from "../../core/builtins.ts";
import {
  InterceptingCall,
  type Interceptor,
  type Metadata,
  ServerInterceptingCall,
  type ServerInterceptor,
  status,
} from "@grpc/grpc-js";
import type { Logger } from "../../observability/logger.ts";

export const AUTH_HEADER = "authorization";

/** Why a call's metadata does not carry the expected token, or undefined when it does. */
export function checkToken(metadata: Metadata, token: string): string | undefined {
  const values = metadata.get(AUTH_HEADER);
  if (values.length === 0) return "missing token: this server requires --token (authorization metadata)";
  const value = String(values[0]);
  const match = /^Bearer (.+)$/i.exec(value);
  if (!match?.[1]) return "malformed authorization metadata: expected 'Bearer <token>'";
  return sameSecret(match[1], token) ? undefined : "wrong token";
}

// Hashing first makes the comparison constant-time whatever the lengths.
function sameSecret(a: string, b: string): boolean {
  const ha = nodeCrypto().createHash("sha256").update(a).digest();
  const hb = nodeCrypto().createHash("sha256").update(b).digest();
  return nodeCrypto().timingSafeEqual(ha, hb);
}

/** Refuses, with UNAUTHENTICATED, every call whose metadata lacks the token; warns once per refusal. */
export function serverTokenInterceptor(token: string, logger?: Logger): ServerInterceptor {
  return (methodDescriptor, call) =>
    new ServerInterceptingCall(call, {
      start(next) {
        next({
          onReceiveMetadata(metadata, mdNext) {
            const problem = checkToken(metadata, token);
            if (problem === undefined) return mdNext(metadata);
            logger?.warn("refused gRPC call", { method: methodDescriptor.path, peer: call.getPeer(), reason: problem });
            call.sendStatus({ code: status.UNAUTHENTICATED, details: `unauthenticated: ${problem}` });
          },
        });
      },
    });
}

/** Adds the token to every outgoing call's metadata (works on insecure channels too, unlike CallCredentials). */
export function clientTokenInterceptor(token: string): Interceptor {
  return (options, nextCall) =>
    new InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set(AUTH_HEADER, `Bearer ${token}`);
        next(metadata, listener);
      },
    });
}
