Console.WriteLine("xmppscan");
