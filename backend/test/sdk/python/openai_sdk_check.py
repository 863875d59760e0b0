"""Calls a running Sightline with the official Python `openai` package, changing only base_url.

Environment: SIGHTLINE_BASE_URL (`http://host:port/v1`), SIGHTLINE_API_KEY, CHAT_MODEL,
EMBEDDING_MODEL. Prints one JSON object with what each call returned; any exception the SDK
raises ends the script with a non-zero exit code (the jest test asserts both).
"""

import json
import os

from openai import NotFoundError, OpenAI

client = OpenAI(base_url=os.environ["SIGHTLINE_BASE_URL"], api_key=os.environ["SIGHTLINE_API_KEY"], max_retries=0)
chat_model = os.environ["CHAT_MODEL"]
embedding_model = os.environ["EMBEDDING_MODEL"]
result = {"sdk_version": __import__("openai").__version__}

completion = client.chat.completions.create(
    model=chat_model, messages=[{"role": "user", "content": "Hello from Python"}]
)
result["chat"] = {
    "content": completion.choices[0].message.content,
    "finish_reason": completion.choices[0].finish_reason,
    "total_tokens": completion.usage.total_tokens,
}

text, usage = "", None
for chunk in client.chat.completions.create(
    model=chat_model,
    messages=[{"role": "user", "content": "Stream from Python [mock:tokens:5]"}],
    stream=True,
    stream_options={"include_usage": True},
):
    if chunk.choices and chunk.choices[0].delta.content:
        text += chunk.choices[0].delta.content
    if chunk.usage:
        usage = chunk.usage.completion_tokens
result["chat_stream"] = {"content": text, "completion_tokens": usage}

response = client.responses.create(model=chat_model, input="Responses from Python", instructions="Be brief.")
result["responses"] = {"status": response.status, "output_text": response.output_text,
                       "output_tokens": response.usage.output_tokens}

deltas, final = "", None
with client.responses.stream(model=chat_model, input="Responses stream from Python [mock:tokens:4]") as stream:
    for event in stream:
        if event.type == "response.output_text.delta":
            deltas += event.delta
    final = stream.get_final_response()
result["responses_stream"] = {"deltas": deltas, "output_text": final.output_text,
                              "output_tokens": final.usage.output_tokens}

embeddings = client.embeddings.create(model=embedding_model, input=["first text", "second"])
result["embeddings"] = {"count": len(embeddings.data), "dimensions": len(embeddings.data[0].embedding),
                        "prompt_tokens": embeddings.usage.prompt_tokens}

model = client.models.retrieve("gpt-4o-mini")
try:
    client.models.retrieve("no-such-model-anywhere")
    unknown_status = None
except NotFoundError as error:
    unknown_status = error.status_code
result["models"] = {"ids": [m.id for m in client.models.list()], "retrieved": model.id, "object": model.object,
                    "unknown_status": unknown_status}

print(json.dumps(result))
