package dev.hallmark.core.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The endpoints of a server and how exceptions become HTTP errors. Exact paths win over prefixes;
 * among prefixes the longest wins. Unknown paths are 404, wrong methods 405 with {@code Allow}.
 * Immutable.
 */
public final class Routes {
  final List<Route> routes;
  final Function<Exception, HttpError> errors;

  private Routes(List<Route> routes, Function<Exception, HttpError> errors) {
    this.routes = List.copyOf(routes);
    this.errors = errors;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The routes, exact ones first. */
  public List<Route> list() {
    return routes;
  }

  Route match(String path) {
    for (Route r : routes) {
      if (r.prefix ? path.startsWith(r.path) : path.equals(r.path)) {
        return r;
      }
    }
    return null;
  }

  HttpError map(Exception e) {
    HttpError h = errors.apply(e);
    return h != null ? h : new HttpError(500, "internal", "internal error: " + e.getClass().getSimpleName());
  }

  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();
    private Function<Exception, HttpError> errors = e -> null;

    public Builder add(Route r) {
      for (Route o : routes) {
        if (o.path.equals(r.path) && o.prefix == r.prefix) {
          throw new IllegalArgumentException("two routes for " + r.path);
        }
      }
      routes.add(r);
      return this;
    }

    /**
     * Maps exceptions other than {@link HttpError} thrown by handlers (return null for the default:
     * 500 naming only the exception class, never its message).
     */
    public Builder errors(Function<Exception, HttpError> mapper) {
      this.errors = Objects.requireNonNull(mapper);
      return this;
    }

    public Routes build() {
      List<Route> sorted = new ArrayList<>(routes);
      sorted.sort(Comparator.comparing((Route r) -> r.prefix).thenComparing(r -> -r.path.length()));
      return new Routes(sorted, errors);
    }
  }
}
