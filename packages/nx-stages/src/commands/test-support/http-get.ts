import { request } from 'node:http';

/** The body a real HTTP GET gets from `url` (a dev server a test started): for the unit specs and the e2e. */
export function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}
