package cn.haizhu.grid.importers.source;

import java.io.IOException;

/**
 * An archive that is refused as a whole before anything of it is read: too large once expanded,
 * too many entries, an archive inside it, or an entry name that tries to leave the folder it is
 * extracted to. Like every file-level problem of a {@link RecordSource} it is an {@link IOException}
 * (the import job fails with its message and nothing is loaded); it carries the reason in Chinese
 * for the officer and in English, and its message holds both.
 */
public final class ArchiveRefused extends IOException {
    private final String zh;
    private final String en;

    public ArchiveRefused(String fileName, String zh, String en) {
        super(fileName + ": " + zh + " / " + en, null);
        this.zh = zh;
        this.en = en;
    }

    /** The reason in Chinese, without the file name. */
    public String zh() {
        return zh;
    }

    /** The reason in English, without the file name. */
    public String en() {
        return en;
    }
}
