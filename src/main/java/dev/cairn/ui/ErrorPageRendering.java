package dev.cairn.ui;

import dev.cairn.common.http.ErrorPageRenderer;
import jakarta.enterprise.context.ApplicationScoped;

/** The UI's error page for the HTTP-layer refusals of {@link dev.cairn.common.http.RequestGuard}. */
@ApplicationScoped
public class ErrorPageRendering implements ErrorPageRenderer {

    @Override
    public String render(int status, String title, String message) {
        return ErrorPages.Templates.error(status, title, message).render();
    }
}
