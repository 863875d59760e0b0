import { InvalidInputError } from '../../common/errors';
import { parseEmbeddingsRequest, providerBody, recordedRequest } from './embeddings-request';

function refusal(body: unknown): InvalidInputError {
  try {
    parseEmbeddingsRequest(body);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('embeddings requests', () => {
  it('reads strings, token arrays and arrays of them as texts, keeping the body', () => {
    const body = {
      model: 'text-embedding-3-small',
      input: ['a', 'b'],
      dimensions: 64,
      user: 'u1',
      extra: true,
    };
    expect(parseEmbeddingsRequest(body)).toEqual({
      model: 'text-embedding-3-small',
      texts: ['a', 'b'],
      body,
    });
    expect(parseEmbeddingsRequest({ model: 'm', input: 'one' }).texts).toEqual(['one']);
    expect(parseEmbeddingsRequest({ model: 'm', input: [1, 2, 3] }).texts).toEqual(['[1,2,3]']);
    expect(parseEmbeddingsRequest({ model: 'm', input: [[1], [2, 3]] }).texts).toEqual(['[1]', '[2,3]']);
  });

  it.each([
    [{ input: 'x' }, 'model'],
    [{ model: 'm' }, 'input'],
    [{ model: 'm', input: '' }, 'input'],
    [{ model: 'm', input: [] }, 'input'],
    [{ model: 'm', input: ['ok', 3.5] }, 'input[1]'],
    [{ model: 'm', input: 'x', encoding_format: 'int8' }, 'encoding_format'],
    [{ model: 'm', input: 'x', dimensions: 0 }, 'dimensions'],
  ])('refuses %j naming %s', (body, param) => {
    expect(refusal(body).param).toBe(param);
  });

  it('records the inputs as user messages and the options as parameters', () => {
    const request = parseEmbeddingsRequest({ model: 'm', input: ['a', 'b'], dimensions: 8 });
    expect(recordedRequest(request)).toEqual({
      model: 'm',
      dimensions: 8,
      messages: [
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
      ],
    });
  });

  it("sends OpenAI's body with the provider's model name; Mistral's names the size output_dimension", () => {
    const request = parseEmbeddingsRequest({ model: 'alias', input: 'x', dimensions: 256, user: 'u' });
    expect(providerBody('openai', request, 'text-embedding-3-large')).toEqual({
      model: 'text-embedding-3-large',
      input: 'x',
      dimensions: 256,
      user: 'u',
    });
    expect(providerBody('mistral', request, 'mistral-embed')).toEqual({
      model: 'mistral-embed',
      input: 'x',
      output_dimension: 256,
    });
  });
});
