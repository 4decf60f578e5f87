/*
 * A stand-in for Windows' bcryptprimitives.dll, used only to run Valv's .exe files under
 * Wine in make dist; it is never shipped. Go's runtime takes its random numbers from
 * ProcessPrng in that DLL (present since Windows 8) and refuses to start without it, and
 * Debian 12's Wine 8 does not have it. Wine's RtlGenRandom draws from the host's
 * /dev/urandom, so the programs under test get real randomness, not a test double.
 */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!RtlGenRandom(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
