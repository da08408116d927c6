import type { Role } from '@bosun/gateway-domain';

/** Who is calling: the subject Kubernetes will see (impersonated), and Bosun roles. */
export interface Principal {
  subject: string;
  groups: string[];
  roles: Role[];
  tokenId?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
    auditAction?: string;
    auditTarget?: Record<string, string | undefined>;
  }
}
