package dev.berth.l2.frame;

import java.util.Objects;

/** The result of decoding a received frame: the frame, or the reason it could not be read. Never an exception. */
public sealed interface Decoded<T> {

    record Frame<T>(T value) implements Decoded<T> {
        public Frame {
            Objects.requireNonNull(value, "value");
        }
    }

    record Failed<T>(DecodeFailure failure) implements Decoded<T> {
        public Failed {
            Objects.requireNonNull(failure, "failure");
        }
    }

    static <T> Decoded<T> frame(T value) {
        return new Frame<>(value);
    }

    static <T> Decoded<T> failed(DecodeFailure failure) {
        return new Failed<>(failure);
    }
}
