package dev.cairn.common.http;

/** The web UI's HTML error page, for refusals made before a request reaches a page resource. */
public interface ErrorPageRenderer {

    String render(int status, String title, String message);
}
