package io.distillery.app.review;

import io.quarkus.vertx.http.security.HttpSecurity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The review page's static files need the {@code reviewer} role, like its API: static resources are
 * public otherwise. The browser's own basic-auth prompt is the login. The stylesheet both pages use
 * is {@code /style.css}, outside these paths: the dashboard opens without a login.
 */
@ApplicationScoped
public class ReviewPageSecurity {

  void configure(@Observes HttpSecurity http) {
    http.path("/review", "/review/*").roles("reviewer");
  }
}
