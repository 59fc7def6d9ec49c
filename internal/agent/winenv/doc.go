// Package winenv emulates, on disk, the parts of Windows that app installs
// and their detection rules look at, so that the device client can install
// real packages on Linux and judge them with rules written for Windows.
//
// # Layout
//
// An Env lives in a root directory:
//
//	Root/C/              the C: drive; C:\a\b is Root/C/a/b
//	Root/registry.json   the registry (see Registry)
//	Root/registry.json.lock
//	Root/tmp/            scripts run by RunScript and their working directories
//
// Windows paths (Env.Path) take the variables %SystemDrive%, %SystemRoot%,
// %windir%, %ProgramFiles%, %ProgramFiles(x86)%, %ProgramW6432%,
// %ProgramData%, %ALLUSERSPROFILE%, %PUBLIC%, %USERPROFILE%, %APPDATA%,
// %LOCALAPPDATA%, %TEMP% and %TMP% in any case; only the C: drive exists;
// "\" and "/" both separate; ".." is refused, and so is a symbolic link
// leading out of Root. Path components are matched without regard to case
// against what exists on disk, as on NTFS, so C:\program files\contoso finds
// Root/C/Program Files/Contoso. The profile of a user is C:\Users\<name>;
// the user "" is SYSTEM, whose profile is
// C:\Windows\System32\config\systemprofile.
//
// # Installers
//
// Install commands run under /bin/sh with Env.Vars: the same variables as
// real Linux paths (ProgramFiles=Root/C/Program Files …), USERNAME,
// WHITEGLOVE_ROOT and WHITEGLOVE_REGISTRY. An installer records itself the
// way a Windows installer would: files under $ProgramFiles, registry values
// through `whiteglove reg add …` (RegCommand, a subset of reg.exe), and an
// MSI-like product through Env.RegisterProduct.
//
// # File versions
//
// Linux files have no PE version resource. A file has a version when a
// sidecar file named "<file>.version" exists next to it holding the version
// on its first line, for example "1.2.3.4"; installers write it. Versions
// are 1 to 4 dot-separated decimal numbers compared numerically, missing
// components counting as 0 (1.2 = 1.2.0.0 < 1.10).
//
// # Detection and requirements
//
// Env.Detect evaluates Win32 app detection rules (apps.Rule) as Intune
// does: every rule must hold. Env.DetectPackage evaluates a package
// manifest's detection (content.Detection), and Env.CheckRequirements an
// app's requirements (apps.Requirements). Scripts, which are PowerShell on
// Windows, are run with /bin/sh here.
package winenv
