import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AccountsService } from '../../src/auth/accounts.service';
import { SYSTEM } from '../../src/control/control-events';

/** A fresh user, organization, project and API key, through the real commands. */
export async function createTestProject(app: INestApplication, label = 'test') {
  const accounts = app.get(AccountsService);
  const suffix = randomUUID().slice(0, 8);
  const user = await accounts.registerUser(SYSTEM, {
    email: `${label}-${suffix}@example.com`,
    name: label,
    password: `password-${suffix}`,
  });
  const org = await accounts.createOrganization(SYSTEM, `${label} org`);
  const project = await accounts.createProject(SYSTEM, org.organizationId, `${label} ${suffix}`, user.userId);
  const { full } = await accounts.createApiKey(SYSTEM, project.projectId, `${label} key`);
  return {
    user,
    password: `password-${suffix}`,
    organizationId: org.organizationId,
    projectId: project.projectId,
    apiKey: full,
  };
}
