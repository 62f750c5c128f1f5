package cn.haizhu.grid.server;

import cn.haizhu.grid.server.AuthorizationMatrixIT.Entry;
import cn.haizhu.grid.server.AuthorizationMatrixIT.Req;
import cn.haizhu.grid.server.AuthorizationMatrixIT.Shape;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * The Open311 GeoReport v2 rows of the authorization matrix: the key goes in {@code api_key} (query
 * or form, as GeoReport clients send it), and a missing or bad key is a 401 in GeoReport's error shape.
 * The reads answer without any key too, in their public view (open311.public.reads, on in the tests).
 */
final class Open311Matrix {
    private static final String FMT = "\\.(?<format>json|xml)";

    private Open311Matrix() {
    }

    static void add(Map<String, Entry> matrix) {
        Set<Integer> ok200 = Set.of(200);
        AuthorizationMatrixIT.keyed("GET /open311/v2/discovery" + FMT, null, Shape.UNSCOPED, ok200, 0,
                (s, role) -> Req.get("/open311/v2/discovery.json"));
        AuthorizationMatrixIT.keyed("GET /open311/v2/services" + FMT, null, Shape.UNSCOPED, ok200, 0,
                (s, role) -> Req.get("/open311/v2/services.json"));
        AuthorizationMatrixIT.keyed("GET /open311/v2/services/(?<code>[A-Za-z0-9]{1,20})" + FMT, null, Shape.UNSCOPED, ok200, 0,
                (s, role) -> Req.get("/open311/v2/services/SJ0107.json"));
        AuthorizationMatrixIT.keyed("POST /open311/v2/requests" + FMT, "cases.report", Shape.CHANGE, Set.of(200, 201), 403,
                (s, role) -> form(s));
        AuthorizationMatrixIT.keyedPublicRead("GET /open311/v2/requests" + FMT, "cases.read", Shape.LIST, ok200,
                (s, role) -> Req.get("/open311/v2/requests.json?api_key=" + AuthorizationMatrixIT.KEY));
        AuthorizationMatrixIT.keyedPublicRead("GET /open311/v2/requests/(?<id>[A-Za-z0-9-]{1,40})" + FMT, "cases.read", Shape.OBJECT,
                ok200, (s, role) -> Req.get("/open311/v2/requests/" + AuthorizationMatrixIT.caseNumber(s) + ".json?api_key="
                        + AuthorizationMatrixIT.KEY));
        AuthorizationMatrixIT.keyedPublicRead("GET /open311/v2/tokens/(?<token>[A-Za-z0-9-]{1,40})" + FMT, "cases.read", Shape.OBJECT,
                ok200, (s, role) -> Req.get("/open311/v2/tokens/" + AuthorizationMatrixIT.caseToken(s) + ".json?api_key="
                        + AuthorizationMatrixIT.KEY));
        // mySociety's extension: the updates of the caller's requests (a list: none of another street's)
        AuthorizationMatrixIT.keyedPublicRead("GET /open311/v2/servicerequestupdates" + FMT, "cases.read", Shape.LIST, ok200,
                (s, role) -> Req.get("/open311/v2/servicerequestupdates.json?start_date=2020-01-01T00:00:00Z&end_date="
                        + "2100-01-01T00:00:00Z&api_key=" + AuthorizationMatrixIT.KEY));
    }

    private static Req form(AuthorizationMatrixIT.Scope s) {
        double[] p = AuthorizationMatrixIT.point(s);
        String body = "service_code=SJ0107&description=" + URLEncoder.encode("矩阵 Open311", StandardCharsets.UTF_8)
                + "&lat=" + p[1] + "&long=" + p[0] + "&api_key=" + AuthorizationMatrixIT.KEY;
        return new Req("POST", "/open311/v2/requests.json", "application/x-www-form-urlencoded",
                body.getBytes(StandardCharsets.UTF_8));
    }
}
