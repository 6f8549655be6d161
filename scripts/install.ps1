# Installs indus on Windows: picks the release zip for this CPU, checks its SHA-256 (Get-FileHash), installs indus.exe.
#
#   irm https://raw.githubusercontent.com/indus-dev/indus/main/scripts/install.ps1 | iex
#
# Environment (as scripts/install.sh):
#   INDUS_VERSION        version to install, e.g. 0.1.0 (default: the latest release)
#   INDUS_INSTALL_DIR    where to put indus.exe (default: %LOCALAPPDATA%\indus\bin)
#   INDUS_DOWNLOAD_BASE  a URL holding the archives and checksums.txt, instead of GitHub releases
#   INDUS_REPO           GitHub owner/name to download from (default: indus-dev/indus)

# `irm | iex` runs this text in the caller's own scope: everything sits in a script block run with `&`, a child scope,
# so the strict mode, $ErrorActionPreference, $ProgressPreference and functions below end with it and never stay
# set in the user's session.
& {
  $ErrorActionPreference = 'Stop'
  Set-StrictMode -Version 3.0
  $ProgressPreference = 'SilentlyContinue'  # the progress bar makes Invoke-WebRequest many times slower

  function Fail([string]$Message, [string]$Hint = '') {
    Write-Host "indus install: error: $Message" -ForegroundColor Red
    if ($Hint) { Write-Host "indus install: hint: $Hint" }
    throw "indus install failed: $Message"
  }

  function Get-Download([string]$Url, [string]$OutFile) {
    try {
      Invoke-WebRequest -Uri $Url -OutFile $OutFile -UseBasicParsing
    } catch {
      Fail "download failed: $Url ($($_.Exception.Message))" 'check the version (INDUS_VERSION), the network, or INDUS_DOWNLOAD_BASE'
    }
  }

  function Install-Indus {
    $repo = if ($env:INDUS_REPO) { $env:INDUS_REPO } else { 'indus-dev/indus' }

    # A 32-bit PowerShell on 64-bit Windows reports x86 in PROCESSOR_ARCHITECTURE and the real CPU in PROCESSOR_ARCHITEW6432.
    $cpu = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE }
    $arch = switch ($cpu) {
      'AMD64' { 'x64' }
      'ARM64' { 'arm64' }
      default { Fail "unsupported platform: Windows on $cpu; indus is built for x64 and arm64" 'other CPUs can build it from source with Bun: npm ci; npm run build' }
    }
    $suffix = "_windows_$arch.zip"  # indus_<version>_windows_x64.zip, indus_<version>_windows_arm64.zip

    $version = if ($env:INDUS_VERSION) { $env:INDUS_VERSION.TrimStart('v') } else { '' }
    if ($env:INDUS_DOWNLOAD_BASE) {
      $base = $env:INDUS_DOWNLOAD_BASE.TrimEnd('/')
    } elseif ($version) {
      $base = "https://github.com/$repo/releases/download/v$version"
    } else {
      $base = "https://github.com/$repo/releases/latest/download"
    }

    $tmp = Join-Path ([System.IO.Path]::GetTempPath()) ("indus-install-" + [System.Guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $tmp | Out-Null
    try {
      $sums = Join-Path $tmp 'checksums.txt'
      Get-Download "$base/checksums.txt" $sums

      # checksums.txt names every archive of the release; ours is the one ending in this platform's suffix.
      $entry = $null
      foreach ($line in Get-Content $sums) {
        $parts = $line -split '\s+', 2
        if ($parts.Count -ne 2) { continue }
        $name = $parts[1].TrimStart('*')
        $match = if ($version) { $name -eq "indus_$version$suffix" } else { $name.StartsWith('indus_') -and $name.EndsWith($suffix) }
        if ($match) { $entry = @{ Hash = $parts[0]; Name = $name }; break }
      }
      if (-not $entry) {
        $want = if ($version) { $version } else { '<version>' }
        Fail "unsupported platform: the release has no indus_$want$suffix" "the archives it has are listed in $base/checksums.txt"
      }

      $zip = Join-Path $tmp $entry.Name
      Write-Host "Downloading $($entry.Name) ..."
      Get-Download "$base/$($entry.Name)" $zip

      $actual = (Get-FileHash -Path $zip -Algorithm SHA256).Hash.ToLowerInvariant()
      if ($actual -ne $entry.Hash.ToLowerInvariant()) {
        Fail "checksum mismatch for $($entry.Name): expected $($entry.Hash), got $actual; nothing was installed" 'the download was corrupted or tampered with; run this again, and report it if it persists'
      }

      $unpacked = Join-Path $tmp 'x'
      Expand-Archive -Path $zip -DestinationPath $unpacked
      $exe = Join-Path $unpacked 'indus.exe'
      if (-not (Test-Path $exe)) { Fail "$($entry.Name) does not hold indus.exe; nothing was installed" }
      # Run it before installing: a build for the wrong CPU fails here, not on the user's first run.
      $got = & $exe --version 2>&1
      if ($LASTEXITCODE -ne 0) { Fail "the downloaded indus.exe does not run on this machine: $got; nothing was installed" }

      $dir = if ($env:INDUS_INSTALL_DIR) { $env:INDUS_INSTALL_DIR } else { Join-Path $env:LOCALAPPDATA 'indus\bin' }
      New-Item -ItemType Directory -Force -Path $dir | Out-Null
      Copy-Item -Path $exe -Destination (Join-Path $dir 'indus.exe') -Force

      Write-Host "Installed $got"
      Write-Host "  to $dir\indus.exe (checksum verified: $($entry.Name))"
      Write-Host ''
      $userPath = [Environment]::GetEnvironmentVariable('Path', 'User')
      if (-not (($env:Path -split ';') -contains $dir) -and -not (($userPath -split ';') -contains $dir)) {
        Write-Host "$dir is not on your PATH. Add it for your user with:"
        Write-Host "  [Environment]::SetEnvironmentVariable('Path', `"$dir;`" + [Environment]::GetEnvironmentVariable('Path', 'User'), 'User')"
        Write-Host ''
      }
      Write-Host 'Next steps:'
      Write-Host '  indus --version'
      Write-Host '  Start-Process indus mock-server      # a local target for the examples'
      Write-Host "  indus run examples/basic.yaml       # plans: https://github.com/$repo/tree/main/examples"
      Write-Host '  indus --help'
    } finally {
      Remove-Item -Recurse -Force $tmp -ErrorAction SilentlyContinue
    }
  }

  Install-Indus
}
