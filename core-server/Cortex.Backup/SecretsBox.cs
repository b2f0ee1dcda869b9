using System.Buffers.Binary;
using System.Formats.Tar;
using System.Security.Cryptography;

namespace Cortex.Backup;

/// <summary>
/// <c>secrets.enc</c>: the files of the configuration directory (a tar) sealed with AES-256-GCM under a key derived
/// from the passphrase by PBKDF2-SHA256. Layout: magic <c>CXSEC001</c>, iterations (int32 big-endian), salt (16),
/// nonce (12), tag (16), ciphertext; the header up to the tag is the associated data.
/// </summary>
public static class SecretsBox
{
    public const int Iterations = 600_000;
    private const int MaxIterations = 10_000_000;
    private const int SaltLength = 16;
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private const int HeaderLength = 8 + 4 + SaltLength + NonceLength;
    private const long MaxPlaintextBytes = 64L * 1024 * 1024;
    private static ReadOnlySpan<byte> Magic => "CXSEC001"u8;

    /// <summary>Tars the files under <paramref name="configDirectory"/> (none when null) and seals them.</summary>
    public static byte[] Seal(string? configDirectory, string passphrase)
    {
        var plaintext = PackDirectory(configDirectory);
        var sealedBytes = new byte[HeaderLength + TagLength + plaintext.Length];
        var header = sealedBytes.AsSpan(0, HeaderLength);
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32BigEndian(header[8..], Iterations);
        var salt = header.Slice(12, SaltLength);
        var nonce = header.Slice(12 + SaltLength, NonceLength);
        RandomNumberGenerator.Fill(salt);
        RandomNumberGenerator.Fill(nonce);
        var key = DeriveKey(passphrase, salt, Iterations);
        try
        {
            using var aes = new AesGcm(key, TagLength);
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(HeaderLength + TagLength),
                sealedBytes.AsSpan(HeaderLength, TagLength), header);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }

        return sealedBytes;
    }

    /// <summary>Opens sealed secrets: the tar of configuration files.</summary>
    /// <exception cref="BackupException">The passphrase is wrong or the data is not sealed secrets.</exception>
    public static byte[] Open(ReadOnlySpan<byte> sealedBytes, string passphrase)
    {
        if (sealedBytes.Length < HeaderLength + TagLength || !sealedBytes.StartsWith(Magic))
        {
            throw new BackupException(ExitCodes.CorruptArchive, "secrets.enc is not a Cortex secrets file");
        }

        var header = sealedBytes[..HeaderLength];
        var iterations = BinaryPrimitives.ReadInt32BigEndian(header[8..]);
        if (iterations is < Iterations or > MaxIterations)
        {
            throw new BackupException(ExitCodes.CorruptArchive, $"secrets.enc names {iterations} PBKDF2 iterations, outside {Iterations}..{MaxIterations}");
        }

        var key = DeriveKey(passphrase, header.Slice(12, SaltLength), iterations);
        var plaintext = new byte[sealedBytes.Length - HeaderLength - TagLength];
        try
        {
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(header.Slice(12 + SaltLength, NonceLength), sealedBytes[(HeaderLength + TagLength)..],
                sealedBytes.Slice(HeaderLength, TagLength), plaintext, header);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new BackupException(ExitCodes.WrongPassphrase, "wrong passphrase: the secrets in the archive cannot be decrypted with it", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Writes the files of an opened secrets tar under <paramref name="configDirectory"/>, replacing files of the same name.</summary>
    public static async Task<int> UnpackAsync(byte[] tar, string configDirectory, CancellationToken cancellationToken)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(configDirectory)) + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(root);
        var count = 0;
        using var stream = new MemoryStream(tar, writable: false);
        await using var reader = new TarReader(stream);
        while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            {
                continue;
            }

            var path = Path.GetFullPath(Path.Combine(root, entry.Name));
            if (!path.StartsWith(root, StringComparison.Ordinal))
            {
                throw new BackupException(ExitCodes.CorruptArchive, $"secrets.enc names a file outside the configuration directory: {entry.Name}");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                if (entry.DataStream is { } data)
                {
                    await data.CopyToAsync(file, cancellationToken);
                }
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            count++;
        }

        return count;
    }

    private static byte[] PackDirectory(string? configDirectory)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            if (configDirectory is not null)
            {
                if (!Directory.Exists(configDirectory))
                {
                    throw new BackupException(ExitCodes.Usage, $"--config-dir {configDirectory} does not exist");
                }

                long total = 0;
                foreach (var file in Directory.EnumerateFiles(configDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    total += new FileInfo(file).Length;
                    if (total > MaxPlaintextBytes)
                    {
                        throw new BackupException(ExitCodes.Usage, $"--config-dir {configDirectory} holds more than {MaxPlaintextBytes} bytes; it is meant for configuration and keys");
                    }

                    var name = Path.GetRelativePath(configDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
                    writer.WriteEntry(file, name);
                }
            }
        }

        return buffer.ToArray();
    }

    private static byte[] DeriveKey(string passphrase, ReadOnlySpan<byte> salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(System.Text.Encoding.UTF8.GetBytes(passphrase), salt, iterations, HashAlgorithmName.SHA256, 32);
}
