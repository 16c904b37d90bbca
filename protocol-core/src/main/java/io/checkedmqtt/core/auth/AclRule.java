package io.checkedmqtt.core.auth;

import io.checkedmqtt.core.topic.TopicFilter;

import java.util.Objects;

/**
 * One {@code topic} or {@code pattern} line of an ACL file: a permission for the topics a filter
 * matches. In a pattern, a level that is exactly {@code %c} or {@code %u} stands for the
 * client's identifier or user name; in a plain topic rule those are literal text.
 *
 * @param permission what the line grants or denies
 * @param filter     a valid, non-shared Topic Filter
 */
public record AclRule(Permission permission, String filter) {

    public AclRule {
        Objects.requireNonNull(permission, "permission");
        Objects.requireNonNull(filter, "filter");
        if (!TopicFilter.isValid(filter)) {
            throw new IllegalArgumentException("not a valid topic filter: " + filter);
        }
    }
}
