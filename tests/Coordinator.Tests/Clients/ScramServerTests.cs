using System.Text;
using XmppScanCluster.Coordinator.Clients.Harness;

namespace XmppScanCluster.Coordinator.Tests.Clients;

/// <summary>The harness's SCRAM server on the RFCs' own examples, and the gs2 facts it hands the recorder.</summary>
public sealed class ScramServerTests
{
    [Fact]
    public void Rfc5802Example_scramSha1_givesTheRfcServerSignature()
    {
        // RFC 5802 §5: user "user", password "pencil".
        var scram = new ScramServer("SCRAM-SHA-1", "pencil", Convert.FromBase64String("QSXCR+Q6sek8bf92"), "3rfcNHYJY1ZVvWVs7j");

        var first = scram.ServerFirst("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
        var final = scram.ServerFinal("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");

        Assert.Equal("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096", first);
        Assert.Equal("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=", final);
        Assert.Equal("n", scram.CbindFlag);
        Assert.False(scram.IsPlus);
    }

    [Fact]
    public void Rfc7677Example_scramSha256_givesTheRfcServerSignature()
    {
        // RFC 7677 §3: user "user", password "pencil".
        var scram = new ScramServer("SCRAM-SHA-256", "pencil", Convert.FromBase64String("W22ZaJ0SNY7soEsUEjb6gQ=="), "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");

        var first = scram.ServerFirst("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        var final = scram.ServerFinal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");

        Assert.Equal("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", first);
        Assert.Equal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", final);
    }

    [Fact]
    public void PlusExchange_givesFlagAndTheBytesAfterTheGs2Header()
    {
        var scram = new ScramServer("SCRAM-SHA-256-PLUS", "pencil");
        var cbData = new byte[] { 1, 2, 3, 250 };
        var c = Convert.ToBase64String([.. Encoding.UTF8.GetBytes("p=tls-server-end-point,,"), .. cbData]);

        Assert.NotNull(scram.ServerFirst("p=tls-server-end-point,,n=user,r=abc"));

        Assert.True(scram.IsPlus);
        Assert.Equal("p=tls-server-end-point", scram.CbindFlag);
        Assert.Equal(cbData, scram.ChannelBindingData("c=" + c + ",r=abcdef,p=proof"));
    }

    [Theory]
    [InlineData("c=" + "biws" + ",r=x,p=y")]          // "n,," — not the header the client announced
    [InlineData("c=not*base64,r=x,p=y")]
    [InlineData("r=x,p=y")]
    public void ChannelBindingDataWithoutTheAnnouncedHeader_isNull(string clientFinal)
    {
        var scram = new ScramServer("SCRAM-SHA-1-PLUS", "pencil");
        scram.ServerFirst("p=tls-unique,,n=user,r=abc");

        Assert.Null(scram.ChannelBindingData(clientFinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("n,")]
    [InlineData("y,,n=user")]
    public void MalformedClientFirst_isNull(string clientFirst) =>
        Assert.Null(new ScramServer("SCRAM-SHA-1", "pencil").ServerFirst(clientFirst));
}
