package cn.haizhu.grid.data.codes;

/** A coded value with the labels the pages show: Chinese first, English available. */
public interface Labelled extends Coded {
    /** A Chinese and an English label. */
    record Label(String zh, String en) {
    }

    Label label();

    /** The Chinese label. */
    default String zh() {
        return label().zh();
    }

    /** The English label. */
    default String en() {
        return label().en();
    }
}
