package cn.haizhu.grid.server.attachments;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decides whether an uploaded file really is a photo we keep: the bytes (not the file name or
 * the browser's content type) must start as JPEG or PNG, its header must give sane dimensions
 * (a 100,000 × 100,000 "photo" would take 40 GB to decode), and it must decode. The thumbnail
 * is decoded with subsampling, so a 12-megapixel photo never sits in memory at full size.
 */
public final class ImageCheck {
    /** Larger uploads are refused before they are read (the route's body limit). */
    public static final long MAX_BYTES = 10L << 20;
    static final long MAX_PIXELS = 50_000_000L;
    static final int THUMB = 320;

    private ImageCheck() {
    }

    /** A photo that passed: its type, size, and a JPEG thumbnail at most {@link #THUMB} pixels on its long side. */
    public record Photo(String contentType, String extension, int width, int height, byte[] thumbnail) {
    }

    /** Why a file is not a photo we keep, in English and Chinese. */
    public static final class NotAPhoto extends Exception {
        private final String zh;

        NotAPhoto(String en, String zh) {
            super(en, null, false, false);
            this.zh = zh;
        }

        public String zh() {
            return zh;
        }
    }

    public static Photo inspect(Path file) throws IOException, NotAPhoto {
        long size = Files.size(file);
        if (size == 0) {
            throw new NotAPhoto("the file is empty", "文件为空");
        }
        if (size > MAX_BYTES) {
            throw new NotAPhoto("the photo is larger than " + (MAX_BYTES >> 20) + " MB", "照片超过 " + (MAX_BYTES >> 20) + " MB");
        }
        String type = sniff(file).orElseThrow(() -> new NotAPhoto(
                "only JPEG and PNG photos are accepted (judged by content, not by name)", "只接受 JPEG 或 PNG 照片（按文件内容判断）"));
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new NotAPhoto("the image cannot be read", "无法读取该图片");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || (long) width * height > MAX_PIXELS) {
                    throw new NotAPhoto("image dimensions " + width + "×" + height + " are not a photo's",
                            "图片尺寸 " + width + "×" + height + " 不合理");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, Math.max(width, height) / (THUMB * 2));
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage sampled = reader.read(0, param);
                return new Photo(type, type.equals("image/png") ? "png" : "jpg", width, height, thumbnail(sampled));
            } finally {
                reader.dispose();
            }
        } catch (IIOException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new NotAPhoto("the image is damaged or truncated: " + e.getMessage(), "图片已损坏或不完整");
        }
    }

    /** The type the first bytes say. */
    static Optional<String> sniff(Path file) throws IOException {
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return Optional.of("image/jpeg");
        }
        if (n == 8 && (head[0] & 0xFF) == 0x89 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G'
                && head[4] == 0x0D && head[5] == 0x0A && head[6] == 0x1A && head[7] == 0x0A) {
            return Optional.of("image/png");
        }
        return Optional.empty();
    }

    private static byte[] thumbnail(BufferedImage img) throws IOException {
        double scale = Math.min(1.0, (double) THUMB / Math.max(img.getWidth(), img.getHeight()));
        int w = Math.max(1, (int) Math.round(img.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(img.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);   // JPEG has no alpha
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, w, h, java.awt.Color.WHITE, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "jpg", bytes);
        return bytes.toByteArray();
    }
}
