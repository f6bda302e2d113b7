package io.distillery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.net.ServerSocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * An OpenAI-compatible chat-completions server on loopback that answers every {@code POST
 * /chat/completions} validly after a fixed latency: {@code {"label": ...}} for one text, {@code
 * {"answers": [{"id": ..., "label": ...}, ...]}} with every id for several. The label is a hash of
 * the text as received, so answers are deterministic. Usage is made up the way a rule of thumb
 * would: prompt tokens are the request body's characters / 4, completion tokens 10 per text and
 * answer.
 *
 * <p>MockWebServer serves each connection on its own thread and calls the dispatcher on it, so
 * requests on separate connections wait out their latency concurrently; {@link #maxConcurrent()}
 * shows how many did at once. Its sockets are given {@code TCP_NODELAY}, as production servers give
 * theirs: MockWebServer writes a response's headers and body separately, and with Nagle's algorithm
 * on, the body waits for the client's delayed ACK, about 40 ms more per call on Linux loopback,
 * which would be counted against the teacher.
 *
 * <p>For the chaos run it can also answer from a table of known labels, and misbehave the ways a
 * real LLM service does ({@link TeacherFault}): each request draws its fault, if any, from a
 * supplier, and the faults served are counted.
 */
public final class OpenAiStub implements AutoCloseable {

  /** Completion tokens reported per text and answer. */
  static final int COMPLETION_TOKENS_PER_TEXT = 10;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How {@code PromptBuilder} delimits each text; a text cannot contain {@code </text}. */
  private static final Pattern TEXT =
      Pattern.compile("<text id=\"([^\"]*)\">\\n(.*?)\\n</text>", Pattern.DOTALL);

  /** A label no codebook has: what an answer outside the label set gives. */
  static final String OUT_OF_SET_LABEL = "none-of-the-above";

  private final List<String> labels;
  private final Duration latency;
  private final Function<String, String> known;
  private final Supplier<TeacherFault> faults;
  private final Map<TeacherFault, AtomicInteger> served = new EnumMap<>(TeacherFault.class);
  private final MockWebServer server = new MockWebServer();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();

  /**
   * @param labels the codebook's labels, one of which every answer gives
   * @param latency how long each request waits before it is answered
   */
  OpenAiStub(List<String> labels, Duration latency) {
    this(labels, latency, text -> null, () -> TeacherFault.NONE);
  }

  /**
   * @param labels the codebook's labels
   * @param latency how long each request waits before it is answered
   * @param known the label to give a text as received, or null for the hash of the text
   * @param faults what each request suffers, drawn once per request
   */
  public OpenAiStub(
      List<String> labels,
      Duration latency,
      Function<String, String> known,
      Supplier<TeacherFault> faults) {
    this.labels = List.copyOf(labels);
    this.latency = latency;
    this.known = known;
    this.faults = faults;
    for (var fault : TeacherFault.values()) {
      served.put(fault, new AtomicInteger());
    }
    server.setServerSocketFactory(new NoDelayServerSocketFactory());
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            return answer(request);
          }
        });
  }

  /** Starts listening on the loopback address, on a free port. */
  public OpenAiStub start() throws IOException {
    server.start(InetAddress.getLoopbackAddress(), 0);
    return this;
  }

  /**
   * The base URL a teacher is configured with; requests go to {@code chat/completions} under it.
   */
  public String baseUrl() {
    return server.url("/").toString();
  }

  /** The most requests that were waiting out their latency at the same time. */
  int maxConcurrent() {
    return maxConcurrent.get();
  }

  /** Forgets the concurrency seen so far, before a new measurement. */
  void resetMaxConcurrent() {
    maxConcurrent.set(0);
  }

  /** How many requests suffered {@code fault} ({@link TeacherFault#NONE}: answered well). */
  public int served(TeacherFault fault) {
    return served.get(fault).get();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private MockResponse answer(RecordedRequest request) throws InterruptedException {
    if (!"POST".equals(request.getMethod())
        || !"/chat/completions".equals(request.getUrl().encodedPath())) {
      return new MockResponse.Builder()
          .code(404)
          .body("{\"error\":{\"message\":\"not found\"}}")
          .build();
    }
    maxConcurrent.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      Thread.sleep(latency.toMillis());
    } finally {
      inFlight.decrementAndGet();
    }
    var fault = faults.get();
    served.get(fault).incrementAndGet();
    switch (fault) {
      case RATE_LIMITED:
        return error(429, "Rate limit reached for requests", "requests", "rate_limit_exceeded")
            .addHeader("Retry-After", "1")
            .build();
      case SERVER_ERROR:
        return error(
                500, "The server had an error while processing your request.", "server_error", null)
            .build();
      case TIMEOUT:
        // Longer than the client waits: it gives up and retries; the answer goes nowhere.
        Thread.sleep(TeacherFault.TIMEOUT_MILLIS);
        break;
      default:
        break;
    }
    var body = request.getBody() == null ? "" : request.getBody().utf8();
    try {
      var completion = completion(JSON.readTree(body), body.length(), fault);
      requests.incrementAndGet();
      return new MockResponse.Builder()
          .code(200)
          .addHeader("Content-Type", "application/json")
          .body(JSON.writeValueAsString(completion))
          .build();
    } catch (IOException | IllegalArgumentException e) {
      return error(400, "bad request: " + e.getMessage(), "invalid_request_error", null).build();
    }
  }

  /** An error in OpenAI's shape: {@code {"error": {"message", "type", "param", "code"}}}. */
  private static MockResponse.Builder error(int status, String message, String type, String code) {
    var error = JSON.createObjectNode();
    var body = error.putObject("error");
    body.put("message", message).put("type", type).putNull("param");
    if (code == null) {
      body.putNull("code");
    } else {
      body.put("code", code);
    }
    return new MockResponse.Builder()
        .code(status)
        .addHeader("Content-Type", "application/json")
        .body(error.toString());
  }

  private ObjectNode completion(JsonNode request, int bodyChars, TeacherFault fault) {
    var texts = texts(lastUserMessage(request));
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("no <text id=\"...\"> in the last user message");
    }
    int n = Math.max(1, request.path("n").asInt(1));
    var content =
        switch (fault) {
          case MALFORMED -> "{\"label\": \"" + labelOf(texts.get(0).text());
          case OUT_OF_SET -> JSON.createObjectNode().put("label", OUT_OF_SET_LABEL).toString();
          default -> texts.size() == 1 ? single(texts.get(0)) : batch(texts);
        };
    var completion = JSON.createObjectNode();
    completion.put("id", "chatcmpl-stub-" + requests.get());
    completion.put("object", "chat.completion");
    completion.put("created", 0);
    completion.put("model", request.path("model").asText("stub"));
    var choices = completion.putArray("choices");
    for (int i = 0; i < n; i++) {
      var choice = choices.addObject();
      choice.put("index", i);
      choice.putObject("message").put("role", "assistant").put("content", content);
      choice.put("finish_reason", "stop");
    }
    int promptTokens = bodyChars / 4;
    int completionTokens = COMPLETION_TOKENS_PER_TEXT * texts.size() * n;
    completion
        .putObject("usage")
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens);
    return completion;
  }

  private static String lastUserMessage(JsonNode request) {
    String last = null;
    for (var message : request.path("messages")) {
      if ("user".equals(message.path("role").asText())) {
        last = message.path("content").asText();
      }
    }
    if (last == null) {
      throw new IllegalArgumentException("no user message");
    }
    return last;
  }

  private static List<Text> texts(String userMessage) {
    var texts = new ArrayList<Text>();
    var matcher = TEXT.matcher(userMessage);
    while (matcher.find()) {
      texts.add(new Text(matcher.group(1), matcher.group(2)));
    }
    return texts;
  }

  private String single(Text text) {
    return JSON.createObjectNode().put("label", label(text)).toString();
  }

  private String batch(List<Text> texts) {
    var answer = JSON.createObjectNode();
    var answers = answer.putArray("answers");
    texts.forEach(text -> answers.addObject().put("id", text.id()).put("label", label(text)));
    return answer.toString();
  }

  private String label(Text text) {
    return labelOf(text.text());
  }

  /** The label the stub gives a text as it receives it: deterministic, spread over the labels. */
  String labelOf(String text) {
    var label = known.apply(text);
    if (label != null) {
      return label;
    }
    return labels.get(Math.floorMod(text.hashCode(), labels.size()));
  }

  /** Server sockets whose accepted connections have Nagle's algorithm off. */
  private static final class NoDelayServerSocketFactory extends ServerSocketFactory {

    @Override
    public ServerSocket createServerSocket() throws IOException {
      return new NoDelayServerSocket();
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return createServerSocket(port, 50, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
      return createServerSocket(port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
        throws IOException {
      var socket = new NoDelayServerSocket();
      socket.bind(new InetSocketAddress(address, port), backlog);
      return socket;
    }
  }

  private static final class NoDelayServerSocket extends ServerSocket {

    NoDelayServerSocket() throws IOException {
      super();
    }

    @Override
    public Socket accept() throws IOException {
      var socket = super.accept();
      socket.setTcpNoDelay(true);
      return socket;
    }
  }

  /**
   * One delimited text of a prompt.
   *
   * @param id its id in the prompt
   * @param text the text as sent (redacted and neutralised)
   */
  record Text(String id, String text) {}
}
