import { z } from 'zod';

// Roles are cumulative: an engineer can do what a viewer can, an admin what an engineer can.
export const roleSchema = z.enum(['viewer', 'engineer', 'admin']);
export type Role = z.infer<typeof roleSchema>;

const RANK: Record<Role, number> = { viewer: 0, engineer: 1, admin: 2 };

export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}

export const tokenClaimsSchema = z.object({
  sub: z.string().min(1).max(200),
  role: roleSchema,
  exp: z.number(),
  iat: z.number().optional(),
});
export type TokenClaims = z.infer<typeof tokenClaimsSchema>;
