/** The GraphQL documents the table uses: one per root field, selecting everything a leak could show. */
const GENERATION = `id projectId traceId spanId source provider model status startedAt endedAt latencyMs
  timeToFirstTokenMs inputTokens outputTokens totalTokens input output finishReason errorMessage streamed`;
const PROJECT = 'id name organization { id name } role createdAt';
const USER = 'id email name';
const API_KEY = `id name preview createdAt createdBy { ${USER} } lastUsedAt revokedAt`;
const PROVIDER_CREDENTIAL = `id provider label last4 baseUrl weight region apiVersion createdAt createdBy { ${USER} } rotatedAt`;

const RESTATEMENT = `id projectId status active startedAt updatedAt finishedAt generations error
  progress { eventsDone eventsTotal fraction eventsPerSecond generationsPerSecond etaSeconds }`;

const PRICE =
  'effectiveFrom currency inputPerMTok outputPerMTok cachedInputPerMTok cacheWritePerMTok sourceUrl checkedOn';
const MODEL = `id provider wireModel projectModelId baseModel contextWindow maxOutputTokens inputModalities
  outputModalities tools structuredOutput price { ${PRICE} } prices { ${PRICE} } usable`;

const BUDGET = `id name scope target window softLimitUsd hardLimitUsd windowStart resetsAt
  spend { subject spentUsd reservedUsd } createdAt createdBy { ${USER} } updatedAt`;
const BUDGET_ALERT = 'id budgetId budgetName level subject windowStart spentUsd limitUsd raisedAt';

export const D = {
  viewer: `query { viewer { user { ${USER} } projects { ${PROJECT} } } }`,
  project: `query($p: ID) { project(projectId: $p) { ${PROJECT} } }`,
  apiKeys: `query($p: ID) { apiKeys(projectId: $p) { ${API_KEY} } }`,
  members: `query($p: ID) { members(projectId: $p) { user { ${USER} } role } }`,
  auditLog: `query($p: ID, $before: String) {
    auditLog(projectId: $p, first: 200, before: $before) { entries { id occurredAt actor action target } nextCursor }
  }`,
  generations: `query($p: ID, $after: String) {
    generations(projectId: $p, first: 50, after: $after) {
      edges { cursor node { ${GENERATION} } } pageInfo { hasNextPage endCursor }
    }
  }`,
  createProject: `mutation($org: ID!, $name: String!) { createProject(organizationId: $org, name: $name) { ${PROJECT} } }`,
  createApiKey: `mutation($p: ID, $name: String!) { createApiKey(projectId: $p, name: $name) { apiKey { ${API_KEY} } secret } }`,
  revokeApiKey: `mutation($p: ID, $id: ID!) { revokeApiKey(projectId: $p, id: $id) { ${API_KEY} } }`,
  createInvite: `mutation($p: ID, $role: Role!, $email: String) {
    createInvite(projectId: $p, role: $role, email: $email) { id role email expiresAt url }
  }`,
  setMemberRole: `mutation($p: ID, $u: ID!, $role: Role!) { setMemberRole(projectId: $p, userId: $u, role: $role) { user { ${USER} } role } }`,
  removeMember: `mutation($p: ID, $u: ID!) { removeMember(projectId: $p, userId: $u) }`,
  deleteData: `mutation($p: ID, $scope: DataDeletionScope!, $target: String) { deleteData(projectId: $p, scope: $scope, target: $target) }`,
  providerCredentials: `query($p: ID) { providerCredentials(projectId: $p) { ${PROVIDER_CREDENTIAL} } }`,
  addProviderCredential: `mutation($p: ID, $input: AddProviderCredentialInput!) {
    addProviderCredential(projectId: $p, input: $input) { ${PROVIDER_CREDENTIAL} }
  }`,
  rotateProviderCredential: `mutation($p: ID, $id: ID!, $secret: String!) {
    rotateProviderCredential(projectId: $p, id: $id, secret: $secret) { ${PROVIDER_CREDENTIAL} }
  }`,
  removeProviderCredential: `mutation($p: ID, $id: ID!) { removeProviderCredential(projectId: $p, id: $id) }`,
  models: `query($p: ID) { models(projectId: $p, includeUnusable: true) { ${MODEL} } }`,
  addProjectModel: `mutation($p: ID, $input: AddProjectModelInput!) { addProjectModel(projectId: $p, input: $input) { ${MODEL} } }`,
  removeProjectModel: `mutation($p: ID, $id: ID!) { removeProjectModel(projectId: $p, id: $id) }`,
  budgets: `query($p: ID) { budgets(projectId: $p) { ${BUDGET} } }`,
  budgetAlerts: `query($p: ID) { budgetAlerts(projectId: $p) { ${BUDGET_ALERT} } }`,
  createBudget: `mutation($p: ID, $input: BudgetInput!) { createBudget(projectId: $p, input: $input) { ${BUDGET} } }`,
  updateBudget: `mutation($p: ID, $id: ID!, $input: BudgetInput!) { updateBudget(projectId: $p, id: $id, input: $input) { ${BUDGET} } }`,
  removeBudget: `mutation($p: ID, $id: ID!) { removeBudget(projectId: $p, id: $id) }`,
  testProviderCredential: `mutation($p: ID, $id: ID!) {
    testProviderCredential(projectId: $p, id: $id, model: "gpt-4o-mini") { ok status message latencyMs }
  }`,
  refusedRequests: `query($p: ID, $since: String!) {
    refusedRequests(projectId: $p, since: $since) {
      total byCode { value count } byEndpoint { value count } byModel { value count }
      recent(first: 200) { endpoint status code model apiKeyId count firstAt lastAt }
    }
  }`,
  generationRecorded: `subscription($p: ID) { generationRecorded(projectId: $p) { ${GENERATION} } }`,
  liveGenerations: `subscription($p: ID) {
    liveGenerations(projectId: $p) { generation { ${GENERATION} } progress { id choices { content } } }
  }`,
  restatements: `query($p: ID) { restatements(projectId: $p) { ${RESTATEMENT} } }`,
  restatement: `query($p: ID, $id: ID!) { restatement(projectId: $p, id: $id) { ${RESTATEMENT} } }`,
  startRestatement: `mutation($p: ID, $key: String!) { startRestatement(projectId: $p, idempotencyKey: $key) { ${RESTATEMENT} } }`,
  cancelRestatement: `mutation($p: ID, $id: ID!) { cancelRestatement(projectId: $p, id: $id) { ${RESTATEMENT} } }`,
  resumeRestatement: `mutation($p: ID, $id: ID!) { resumeRestatement(projectId: $p, id: $id) { ${RESTATEMENT} } }`,
  restatementProgress: `subscription($p: ID, $id: ID!) { restatementProgress(projectId: $p, id: $id) { ${RESTATEMENT} } }`,
} as const;
