using System.Net;
using System.Net.Sockets;

namespace Cortex.Sync.FunctionalTests.Infrastructure;

/// <summary>
/// A loopback TCP relay between one replica and the server whose line can be cut and restored: cutting closes every
/// open connection at once (the replica sees its WebSocket drop, as on a network failure) and refuses new ones until
/// restored, while the server and the replica's process keep running.
/// </summary>
internal sealed class FlakyLink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _serverPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private bool _cut;

    public FlakyLink(int serverPort)
    {
        _serverPort = serverPort;
        _listener.Start();
        _accepting = AcceptAsync(_stopping.Token);
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public bool IsCut
    {
        get
        {
            lock (_gate)
            {
                return _cut;
            }
        }
    }

    public void Cut()
    {
        lock (_gate)
        {
            _cut = true;
            foreach (var socket in _open)
            {
                socket.Dispose();
            }

            _open.Clear();
        }
    }

    public void Restore()
    {
        lock (_gate)
        {
            _cut = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient replica;
            try
            {
                replica = await _listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(replica, cancellationToken);
        }
    }

    private async Task RelayAsync(TcpClient replica, CancellationToken cancellationToken)
    {
        var server = new TcpClient();
        try
        {
            if (!Track(replica, server))
            {
                return;
            }

            await server.ConnectAsync(IPAddress.Loopback, _serverPort, cancellationToken);
            var up = replica.GetStream().CopyToAsync(server.GetStream(), cancellationToken);
            var down = server.GetStream().CopyToAsync(replica.GetStream(), cancellationToken);
            await Task.WhenAny(up, down);
        }
        catch (Exception exception) when (exception is SocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // A cut line, a stopped server or the replica hanging up: all end this connection, which is the point.
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove(replica);
                _open.Remove(server);
            }

            replica.Dispose();
            server.Dispose();
        }
    }

    private bool Track(TcpClient replica, TcpClient server)
    {
        lock (_gate)
        {
            if (_cut)
            {
                return false;
            }

            _open.Add(replica);
            _open.Add(server);
            return true;
        }
    }
}
