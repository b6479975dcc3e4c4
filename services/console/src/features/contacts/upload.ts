import { ApiError, type ErrorBody } from '../../api/errors.ts';

export interface ImportResult {
  imported: number;
  updated: number;
  rejected: Array<{ line: number; reason: string }>;
  rejectedCount: number;
}

/**
 * POST /v1/contacts/upload as a multipart file. XMLHttpRequest rather than fetch, because only it
 * reports upload progress; the session cookie and the page's Origin go with it as with fetch.
 */
export function uploadContacts(file: File, onProgress: (share: number) => void): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/v1/contacts/upload');
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status === 200) resolve(request.response as ImportResult);
      else reject(ApiError.from(request.status, request.response as ErrorBody | undefined));
    };
    request.onerror = () => reject(new Error('the upload did not reach the server'));
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}
