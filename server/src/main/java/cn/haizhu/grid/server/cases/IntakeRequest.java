package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.cases.CaseCategory;
import cn.haizhu.grid.data.cases.CategoryCatalogue;
import cn.haizhu.grid.data.cases.Urgency;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A new case as a client sends it (受理): {@code POST /api/v1/cases}.
 *
 * @param id the client's id for the case, or null to have one made; the same id sent again with
 *     the same content is a retry, answered with the case already made
 * @param attachments photos sent with the report (uploaded first), kept on its first history row;
 *     not part of {@link #hash()}, so a retry is recognised whatever photos it names
 * @param mediaUrl a link to a photo kept by the reporting system (Open311's media_url), or null: the
 *     case's photo reference, shown as text and never fetched
 */
record IntakeRequest(UUID id, String source, CaseCategory category, Urgency urgency, String title,
        String description, String address, Body.Point location, List<UUID> attachments, String mediaUrl) {
    /** An http(s) link without spaces, as civic_case.media_url accepts it (V38). */
    private static final java.util.regex.Pattern MEDIA_URL = java.util.regex.Pattern.compile("https?://\\S+");
    private static final int MEDIA_URL_MAX = 2000;

    /** Why {@code url} is no photo reference a case keeps (an http(s) link, at most 2,000 characters), or empty. */
    static java.util.Optional<String> mediaUrlProblem(String url) {
        if (url.length() > MEDIA_URL_MAX) {
            return java.util.Optional.of("must be at most " + MEDIA_URL_MAX + " characters");
        }
        return MEDIA_URL.matcher(url).matches() ? java.util.Optional.empty()
                : java.util.Optional.of("must be an http(s) link to the photo");
    }

    /** Where a case comes from: 12345 热线, 网格员巡查, 指挥中心, 外部系统 (Open311, peers). */
    static final Set<String> SOURCES = Set.of("hotline_12345", "patrol", "command", "external");

    static IntakeRequest parse(Body body, CategoryCatalogue catalogue) {
        UUID id = body.uuid("id");
        String source = body.string("source", true, 20);
        if (source != null && !SOURCES.contains(source)) {
            body.problem("source", "must be one of " + SOURCES.stream().sorted().toList());
        }
        String code = body.string("category", true, 6);
        CaseCategory category = null;
        if (code != null) {
            var problem = CaseCategory.codeProblem(code);
            if (problem.isPresent()) {
                body.problem("category", problem.get());
            } else {
                category = catalogue.byCode(code).orElse(null);
                if (category == null) {
                    body.problem("category", "'" + code + "' is not in the catalogue (GET /api/v1/case-categories)");
                }
            }
        }
        String u = body.string("urgency", false, 10);
        Urgency urgency = u == null ? Urgency.NORMAL : Urgency.of(u).orElse(null);
        if (urgency == null) {
            body.problem("urgency", "must be urgent or normal");
        }
        String title = body.string("title", true, 200);
        String description = body.string("description", false, 4000);
        String address = body.string("address", false, 400);
        Body.Point location = body.point("location", true);
        List<UUID> attachments = body.uuids("attachments", 20);
        String mediaUrl = body.string("mediaUrl", false, Integer.MAX_VALUE);
        if (mediaUrl != null) {
            mediaUrlProblem(mediaUrl).ifPresent(p -> body.problem("mediaUrl", p));
        }
        body.check();
        return new IntakeRequest(id, source, category, urgency, title, description, address, location, attachments, mediaUrl);
    }

    /**
     * A digest of the content (not of the JSON text, whose key order and spacing a retry may
     * change): equal for a retry, different for another case sent under a reused id.
     */
    String hash() {
        String canonical = String.join("\u001f", source, category.code(), urgency.code(), title,
                String.valueOf(description), String.valueOf(address),
                Double.toString(location.lon()), Double.toString(location.lat()));
        // appended only when there is one, so the digest of an intake without it is what it always was
        return digest(mediaUrl == null ? canonical : canonical + "\u001f" + mediaUrl);
    }

    /** SHA-256 of the text, in hex. */
    static String digest(String canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
