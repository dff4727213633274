package dev.cairn.governance;

import dev.cairn.common.CairnException;
import dev.cairn.common.Validation;

/** Limits of what requests and comments carry (the registry's comment limit). */
final class RequestInput {

    static final int MAX_COMMENT_LENGTH = 5000;

    private RequestInput() {
    }

    static void comment(String comment) {
        Validation.maxLength("comment", comment, MAX_COMMENT_LENGTH);
    }

    /** A comment that must say something (comments on versions, overrides). */
    static String requiredComment(String comment) {
        if (comment == null || comment.isBlank()) {
            throw CairnException.invalid("Missing value for required field 'comment'");
        }
        comment(comment);
        return comment;
    }
}
