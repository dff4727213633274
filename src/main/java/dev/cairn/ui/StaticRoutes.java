package dev.cairn.ui;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import jakarta.enterprise.event.Observes;

/** Serves {@code web/static} (packaged as {@code static/}) under {@code /static}; nosniff comes from HostGuard. */
public class StaticRoutes {

    void init(@Observes Router router) {
        router.route("/static/*").handler(StaticHandler.create("static").setMaxAgeSeconds(300));
    }
}
