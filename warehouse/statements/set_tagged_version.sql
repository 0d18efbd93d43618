UPDATE documents SET tagged_version = $version WHERE sha256 = $sha256;
