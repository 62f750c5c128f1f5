package cn.haizhu.grid.server.attachments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ImageCheckTest {
    @TempDir
    Path dir;

    /** A photo of {@code w}×{@code h} in {@code format} (jpg, png), a gradient, written to {@code dir}. */
    public static Path photo(Path dir, String name, String format, int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | 0x40);
            }
        }
        Path p = dir.resolve(name);
        ImageIO.write(img, format, p.toFile());
        return p;
    }

    @Test
    void aJpegAndAPngPassWithAThumbnailOnTheLongSide() throws Exception {
        ImageCheck.Photo jpeg = ImageCheck.inspect(photo(dir, "a.jpg", "jpg", 1600, 1200));
        assertEquals("image/jpeg", jpeg.contentType());
        assertEquals(1600, jpeg.width());
        BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(jpeg.thumbnail()));
        assertEquals(320, thumb.getWidth());
        assertEquals(240, thumb.getHeight());
        ImageCheck.Photo png = ImageCheck.inspect(photo(dir, "b.png", "png", 200, 500));
        assertEquals("image/png", png.contentType());
        assertEquals(128, ImageIO.read(new ByteArrayInputStream(png.thumbnail())).getWidth());
    }

    @Test
    void theContentDecidesNotTheName() throws Exception {
        Path fake = Files.writeString(dir.resolve("photo.jpg"), "<html>not a photo</html>");
        var e = assertThrows(ImageCheck.NotAPhoto.class, () -> ImageCheck.inspect(fake));
        assertTrue(e.getMessage().contains("JPEG and PNG"), e.getMessage());
        assertTrue(e.zh().contains("按文件内容"));
        // a PNG named .jpg is still a PNG
        Path png = photo(dir, "c.png", "png", 10, 10);
        Path renamed = Files.move(png, dir.resolve("c.jpg"));
        assertEquals("image/png", ImageCheck.inspect(renamed).contentType());
    }

    @Test
    void aTruncatedPhotoIsRefused() throws Exception {
        Path whole = photo(dir, "d.png", "png", 400, 300);
        byte[] b = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(b, b.length / 3));
        var e = assertThrows(ImageCheck.NotAPhoto.class, () -> ImageCheck.inspect(cut));
        assertTrue(e.getMessage().contains("damaged or truncated"), e.getMessage());
    }

    @Test
    void absurdDimensionsAreRefusedBeforeDecoding() throws Exception {
        byte[] b = Files.readAllBytes(photo(dir, "e.png", "png", 1, 1));
        // IHDR starts at byte 16: width and height, big-endian; 100,000 x 100,000 pixels
        int big = 100_000;
        for (int i = 0; i < 4; i++) {
            b[16 + i] = (byte) (big >>> (24 - 8 * i));
            b[20 + i] = (byte) (big >>> (24 - 8 * i));
        }
        Path bomb = Files.write(dir.resolve("bomb.png"), b);
        var e = assertThrows(ImageCheck.NotAPhoto.class, () -> ImageCheck.inspect(bomb));
        assertTrue(e.getMessage().contains("100000×100000") || e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void anEmptyFileIsRefused() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.jpg"));
        assertThrows(ImageCheck.NotAPhoto.class, () -> ImageCheck.inspect(empty));
    }
}
