package dev.cairn.ui;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a state-changing form route: {@link CsrfFilter} rejects the request with 403 unless its
 * {@value Csrf#FIELD} form field matches the browser's {@value Csrf#COOKIE} cookie. Render the
 * field with {@code {#csrfField token /}} (the token from {@link Csrf#token()}).
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface CsrfProtected {
}
