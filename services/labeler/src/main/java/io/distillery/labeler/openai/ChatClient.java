package io.distillery.labeler.openai;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * One HTTP exchange with {@code POST {baseUrl}/chat/completions}, over one shared {@link
 * OkHttpClient} with explicit timeouts. No policy here: a non-2xx status is an {@link
 * ApiStatusException}, a body that is no chat completion a {@link MalformedResponseException}, and
 * network faults stay {@link IOException}s; {@link ResilientChat} decides what to do.
 */
final class ChatClient implements AutoCloseable {

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  private final OkHttpClient http;
  private final HttpUrl url;
  private final ApiKey key;

  /**
   * @param readTimeout also the write timeout; the whole call may take the connect timeout plus
   *     twice the read timeout
   * @param maxInFlight calls made at once, for the number of connections kept alive
   */
  ChatClient(
      String baseUrl, ApiKey key, Duration connectTimeout, Duration readTimeout, int maxInFlight) {
    this.url = endpoint(baseUrl);
    this.key = key;
    this.http =
        new OkHttpClient.Builder()
            .connectTimeout(connectTimeout)
            .readTimeout(readTimeout)
            .writeTimeout(readTimeout)
            .callTimeout(connectTimeout.plus(readTimeout.multipliedBy(2)))
            // Keep a connection per call in flight alive between batches.
            .connectionPool(new ConnectionPool(Math.max(5, maxInFlight), 5, TimeUnit.MINUTES))
            .build();
  }

  private static HttpUrl endpoint(String baseUrl) {
    var base = HttpUrl.parse(baseUrl == null ? "" : baseUrl.trim());
    if (base == null) {
      throw new IllegalArgumentException(
          "distillery.teacher.base-url: not an http(s) URL: " + baseUrl);
    }
    return base.newBuilder().addPathSegments("chat/completions").build();
  }

  HttpUrl url() {
    return url;
  }

  /** Sends one request body; the response is closed before this returns. */
  Completion complete(String body)
      throws IOException, ApiStatusException, MalformedResponseException {
    var request =
        new Request.Builder()
            .url(url)
            .header("Accept", "application/json")
            .post(RequestBody.create(body, JSON));
    key.authorization().ifPresent(value -> request.header("Authorization", value));
    try (var response = http.newCall(request.build()).execute()) {
      var text = response.body().string();
      if (!response.isSuccessful()) {
        throw ApiStatusException.of(
            response.code(),
            text,
            response.header("Retry-After"),
            response.header("retry-after-ms"),
            key);
      }
      return Completion.parse(text);
    }
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
