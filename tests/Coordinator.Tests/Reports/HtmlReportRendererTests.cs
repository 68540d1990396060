using XmppScanCluster.Coordinator.Grading;
using XmppScanCluster.Coordinator.Reports;

namespace XmppScanCluster.Coordinator.Tests.Reports;

public class HtmlReportRendererTests
{
    [Fact]
    public void CertificateSubjectWithScriptTag_rendersAsText()
    {
        var html = HtmlReportRenderer.Render(ReportFixtures.Scan("CN=<script>alert(1)</script>", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), Policies.SslLabs);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("CN=&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_isSelfContained_noScriptNoExternalResources()
    {
        var html = HtmlReportRenderer.Render(ReportFixtures.Scan("CN=example.test", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), Policies.SslLabs);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.Contains("<style>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_showsTheGrade_bars_caps_andTheOtherPolicy()
    {
        var html = HtmlReportRenderer.Render(ReportFixtures.Scan("CN=example.test", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_RC4_128_SHA"), Policies.SslLabs);

        Assert.Contains("<div class=\"letter g-b\">C</div>", html, StringComparison.Ordinal);
        Assert.Contains("class=\"bar\"", html, StringComparison.Ordinal);
        Assert.Contains("RC4 accepted at TLSv1.1 or newer", html, StringComparison.Ordinal);
        Assert.Contains("xmppoke-2015: <b>", html, StringComparison.Ordinal);
        Assert.Contains("Weaknesses", html, StringComparison.Ordinal);
    }
}
