package io.checkedmqtt.model;

/** The core did something the reference model or an invariant of the spec forbids. */
final class ModelViolation extends RuntimeException {

    ModelViolation(String message) {
        super(message, null, false, false);
    }
}
