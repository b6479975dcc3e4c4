/** The API's one error shape. */
export interface ErrorBody {
  error?: { code?: string; message?: string; details?: Array<{ path: string; message: string }> };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Array<{ path: string; message: string }>;

  constructor(status: number, code: string, message: string, details: Array<{ path: string; message: string }>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  static from(status: number, body: ErrorBody | undefined): ApiError {
    const error = body?.error;
    return new ApiError(
      status,
      error?.code ?? `http_${status}`,
      error?.message ?? `the server answered ${status}`,
      error?.details ?? [],
    );
  }
}

/** 409 codes of campaign and run transitions, said in words an operator acts on. */
const conflictAdvice: Record<string, string> = {
  illegal_transition: 'The campaign is not in a state that allows this: reload to see where it stands.',
  not_editable: 'Only a draft or paused campaign can be edited.',
  campaign_not_schedulable: 'No run of this campaign can still happen: move its start or end time.',
  template_not_approved: 'Its template is not approved by Meta yet: sync templates or choose another.',
  template_unmapped: 'Map every placeholder of its template to a contact field on the Templates page.',
  empty_audience: 'Nobody in the audience can be messaged: change the tags or conditions.',
  run_completed: 'The run has already finished.',
  run_already_cancelled: 'The run was already cancelled.',
  sync_not_configured: 'Template sync needs the WhatsApp Business Account settings on the server.',
  idempotency_key_in_progress: 'The same request is still being handled: wait a moment and look again.',
  last_admin_key: 'Mint another admin key before revoking this one.',
};

export interface RenderedError {
  title: string;
  message: string;
  advice?: string;
  fields: Array<{ field: string; message: string }>;
}

/** What the console shows for a failed call: the API's message, a next step, and each field it names. */
export function renderError(error: unknown): RenderedError {
  if (!(error instanceof ApiError)) {
    const message = error instanceof Error ? error.message : String(error);
    return { title: 'Something went wrong', message, fields: [] };
  }
  const title =
    error.status === 400
      ? 'Please check the highlighted fields'
      : error.status === 401
        ? 'You are signed out'
        : error.status === 403
          ? 'Your key may not do this'
          : error.status === 404
            ? 'Not found'
            : error.status === 409
              ? 'Not possible right now'
              : error.status === 429
                ? 'Too many requests'
                : error.status >= 500
                  ? 'The server could not answer'
                  : `Request refused (${error.status})`;
  const advice = conflictAdvice[error.code] ?? (error.status === 429 ? 'Wait a minute and try again.' : undefined);
  return {
    title,
    message: error.message,
    ...(advice ? { advice } : {}),
    fields: error.details.map((detail) => ({ field: detail.path, message: detail.message })),
  };
}
