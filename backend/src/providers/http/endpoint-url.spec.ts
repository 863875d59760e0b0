import { endpointUrl } from './upstream-http';

describe('endpointUrl', () => {
  it('joins the base URL without its trailing slashes and the path', () => {
    expect(endpointUrl('http://127.0.0.1:8080/v1//', '/chat/completions').href).toBe(
      'http://127.0.0.1:8080/v1/chat/completions',
    );
  });

  it('parses an endpoint once: the same URL for the same base and path, another for another', () => {
    const url = endpointUrl('https://api.example.com/v1', '/chat/completions');
    expect(endpointUrl('https://api.example.com/v1', '/chat/completions')).toBe(url);
    expect(endpointUrl('https://api.example.com/v1', '/embeddings').href).toBe(
      'https://api.example.com/v1/embeddings',
    );
    expect(endpointUrl('https://other.example.com/v1', '/chat/completions').origin).toBe(
      'https://other.example.com',
    );
  });

  it('refuses a malformed base URL each time, like new URL', () => {
    expect(() => endpointUrl('not a url', '/chat/completions')).toThrow('Invalid URL');
    expect(() => endpointUrl('not a url', '/chat/completions')).toThrow('Invalid URL');
  });
});
