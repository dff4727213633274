package dev.cairn.ui;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource class whose routes are web pages: {@link ErrorPages} answers their failures with an HTML
 * error page instead of the APIs' JSON body. JSON routes (even in this package) stay unmarked.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PageResource {
}
