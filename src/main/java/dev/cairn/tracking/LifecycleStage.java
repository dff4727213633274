package dev.cairn.tracking;

import dev.cairn.common.CairnException;
import jakarta.persistence.AttributeConverter;

/** MLflow's lifecycle stage of experiments and runs (kept apart from run status), with its wire value. */
public enum LifecycleStage {
    ACTIVE("active"),
    DELETED("deleted");

    private final String wire;

    LifecycleStage(String wire) {
        this.wire = wire;
    }

    /** The value MLflow sends and PostgreSQL stores. */
    public String wire() {
        return wire;
    }

    /**
     * The wire value as an SQL string literal (it is a constant, never input), for the statements whose plan
     * must match the partial indexes declared {@code WHERE lifecycle_stage = 'active'}.
     */
    public String sqlLiteral() {
        return "'" + wire + "'";
    }

    public static LifecycleStage fromWire(String value) {
        for (LifecycleStage s : values()) {
            if (s.wire.equals(value)) {
                return s;
            }
        }
        throw CairnException.invalid("Unknown lifecycle stage '" + value + "'");
    }

    /** Stores the wire value in the {@code lifecycle_stage} columns. */
    @jakarta.persistence.Converter(autoApply = true)
    public static class Converter implements AttributeConverter<LifecycleStage, String> {
        @Override
        public String convertToDatabaseColumn(LifecycleStage stage) {
            return stage == null ? null : stage.wire;
        }

        @Override
        public LifecycleStage convertToEntityAttribute(String value) {
            return value == null ? null : fromWire(value);
        }
    }
}
